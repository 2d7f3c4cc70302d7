import { defineEventHandler } from 'h3'
import { startHostedUI } from '../../lib/server-auth/hosted-ui/start'

/** Starts a Hosted UI sign-up; the user comes back through the callback, signed in. */
export default defineEventHandler(event => startHostedUI(event, 'sign-up'))
