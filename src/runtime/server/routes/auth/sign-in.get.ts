import { defineEventHandler } from 'h3'
import { startHostedUI } from '../../lib/server-auth/hosted-ui/start'

/** Starts a Hosted UI sign-in: `<a href="/api/auth/sign-in?redirect=/profile">`, `?provider=google` to skip its page. */
export default defineEventHandler(event => startHostedUI(event, 'sign-in'))
