/**
 * What `useAmplify()` holds in the browser in place of an API that no source file of the app names
 * (`amplify.clientApis: 'used'`): a call says which one and how to bring it in, rather than failing as undefined.
 */
export function leftOutClientApi(name: string): () => never {
  return () => {
    throw new Error(`[nuxt-amplify-ssr] useAmplify().${name}() is not in this browser build: no source file of the app `
      + `names "${name.slice(name.indexOf('.') + 1)}", so it was left out to keep the bundle small. Add '${name}' to `
      + `amplify.clientApis in nuxt.config (or set it to 'all').`)
  }
}
