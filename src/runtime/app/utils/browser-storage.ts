// `useAmplify().Storage` in the browser, one export per API so that the build keeps only those the app calls
// (#amplify-client-apis picks them): uploadData alone brings multipart uploads, MD5 and CRC32.
import * as clientStorage from 'aws-amplify/storage'
import type { AmplifyStorage } from './amplify-storage'

export const list = clientStorage.list as unknown as AmplifyStorage['list']
export const getUrl: AmplifyStorage['getUrl'] = clientStorage.getUrl
export const getProperties: AmplifyStorage['getProperties'] = clientStorage.getProperties
export const copy: AmplifyStorage['copy'] = clientStorage.copy
// Amplify's RemoveOperation is awaitable, not a promise: the same result as on the server.
export const remove: AmplifyStorage['remove'] = async input => await clientStorage.remove(input)
export const uploadData = clientStorage.uploadData as unknown as AmplifyStorage['uploadData']
export const downloadData = clientStorage.downloadData as unknown as AmplifyStorage['downloadData']
