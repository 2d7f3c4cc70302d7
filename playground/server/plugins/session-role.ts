declare module '#amplify-ssr' {
  interface AmplifySessionData {
    /** The app's own notion of a role; here derived from the groups, in an app looked up in its database. */
    role?: 'administrator' | 'member'
  }
}

export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('amplify:session', (session) => {
    session.data.role = session.groups.includes('admin') ? 'administrator' : 'member'
  })
})
