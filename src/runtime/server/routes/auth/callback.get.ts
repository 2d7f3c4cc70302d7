import { defineEventHandler } from 'h3'
import { completeHostedUI } from '../../lib/server-auth/hosted-ui/callback'

/** Where the Hosted UI returns with `code` and `state`: register `<origin><basePath>/callback` as a callback URL. */
export default defineEventHandler(completeHostedUI)
