import type {
  CopyWithPathInput, CopyWithPathOutput, DownloadDataWithPathInput, DownloadDataWithPathOutput,
  GetPropertiesWithPathInput, GetPropertiesWithPathOutput, GetUrlWithPathInput, GetUrlWithPathOutput,
  ListAllWithPathInput, ListAllWithPathOutput, ListPaginateWithPathInput, ListPaginateWithPathOutput,
  RemoveWithPathInput, RemoveWithPathOutput, UploadDataServerWithPathOutput, UploadDataWithPathInput,
} from 'aws-amplify/storage'
import { browserOnly, runTransferTask } from './amplify-tasks'
import type { AmplifyRunner } from './amplify-tasks'

/**
 * `useAmplify().Storage`: Amplify Storage (S3) with the browser's signatures on both sides, for `path` inputs
 * (the `key`/`accessLevel` forms are deprecated by Amplify). A `path` may be a function of `{ identityId }`.
 */
export interface AmplifyStorage {
  list(input: ListPaginateWithPathInput): Promise<ListPaginateWithPathOutput>
  list(input: ListAllWithPathInput): Promise<ListAllWithPathOutput>
  /** A presigned URL. `url` is a `URL`: return `url.href` from `useAsyncData`, the payload cannot carry a `URL`. */
  getUrl(input: GetUrlWithPathInput): Promise<GetUrlWithPathOutput>
  getProperties(input: GetPropertiesWithPathInput): Promise<GetPropertiesWithPathOutput>
  copy(input: CopyWithPathInput): Promise<CopyWithPathOutput>
  remove(input: RemoveWithPathInput): Promise<RemoveWithPathOutput>
  /** `{ result, cancel, state }`; in the browser the task can also `pause()`/`resume()` (Amplify's `UploadTask`). */
  uploadData(input: UploadDataWithPathInput): UploadDataServerWithPathOutput
  /** Browser only: Amplify has no server variant. On the server, use `getUrl` and fetch the URL. */
  downloadData(input: DownloadDataWithPathInput): DownloadDataWithPathOutput
}

// Loaded on demand and only in the server build: its uploadData needs Node's Buffer, which breaks a browser bundle.
const serverStorage = () => import.meta.server ? import('aws-amplify/storage/server') : Promise.reject(new Error('server only'))

export function serverStorageApis(run: AmplifyRunner): AmplifyStorage {
  return {
    list: ((input: ListPaginateWithPathInput) => run(async ctx => (await serverStorage()).list(ctx, input))) as AmplifyStorage['list'],
    getUrl: input => run(async ctx => (await serverStorage()).getUrl(ctx, input)),
    getProperties: input => run(async ctx => (await serverStorage()).getProperties(ctx, input)),
    copy: input => run(async ctx => (await serverStorage()).copy(ctx, input)),
    // Amplify's RemoveOperation is awaitable: awaiting it inside the context gives the result.
    remove: input => run(async ctx => await (await serverStorage()).remove(ctx, input)),
    uploadData: input =>
      runTransferTask(run, async ctx => (await serverStorage()).uploadData(ctx, input)) as unknown as UploadDataServerWithPathOutput,
    downloadData: () => browserOnly('Storage.downloadData', 'Amplify has no server variant: on the server, use '
    + 'useAmplify().Storage.getUrl() (or getUrl from aws-amplify/storage/server) and fetch the URL.'),
  }
}
