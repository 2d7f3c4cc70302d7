// The guide's client plugin (amplify-apis.client.ts) widened to the APIs `useAmplify()` offers in the browser, for
// a like-for-like reference: the same plugin shape, more of each category.
import { Amplify } from 'aws-amplify'
import { confirmSignIn, fetchAuthSession, fetchUserAttributes, getCurrentUser, signIn, signOut } from 'aws-amplify/auth'
import { copy, downloadData, getProperties, getUrl, list, remove, uploadData } from 'aws-amplify/storage'
import { del, generateClient, get, head, patch, post, put } from 'aws-amplify/api'
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
          Auth: { confirmSignIn, fetchAuthSession, fetchUserAttributes, getCurrentUser, signIn, signOut },
          API: { del, get, head, patch, post, put },
          GraphQL: { client },
          Storage: { copy, downloadData, getProperties, getUrl, list, remove, uploadData },
        },
      },
    }
  },
})
