/**
 * With `amplify.serverAuth` the tokens are HttpOnly: Amplify's browser client has no session, so the playground's
 * browser-side actions go through its own server routes, as the README tells apps to do.
 */
export const useServerAuthMode = () => !!useRuntimeConfig().public.amplify.serverAuth?.enabled
