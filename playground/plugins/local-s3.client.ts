import { routeS3InBrowser } from '../../test/backends/s3-route-browser'

// Offline development only (`npm run dev` sets NUXT_PUBLIC_LOCAL_S3_ENDPOINT): the browser's S3 requests go to the
// local bucket. The server process is routed by test/backends/s3-route.mjs.
export default defineNuxtPlugin(() => {
  const endpoint = useRuntimeConfig().public.localS3Endpoint
  if (endpoint) routeS3InBrowser(endpoint)
})
