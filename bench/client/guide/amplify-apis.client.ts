// The Amplify Nuxt guide's `plugins/01.amplify-apis.client.ts`, as the guide writes it.
import { Amplify } from 'aws-amplify'
import { fetchAuthSession, fetchUserAttributes, getCurrentUser, signIn, signOut } from 'aws-amplify/auth'
import { list } from 'aws-amplify/storage'
import { generateClient } from 'aws-amplify/api'
import outputs from '../amplify_outputs.json'

const client = generateClient()

export default defineNuxtPlugin({
  name: 'AmplifyAPIs',
  enforce: 'pre',
  setup() {
    Amplify.configure(outputs, { ssr: true })
    return {
      provide: {
        Amplify: {
          Auth: { fetchAuthSession, fetchUserAttributes, getCurrentUser, signIn, signOut },
          GraphQL: { client },
          Storage: { list },
        },
      },
    }
  },
})
