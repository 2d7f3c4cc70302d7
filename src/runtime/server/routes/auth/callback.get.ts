import { defineEventHandler } from 'h3'
import { completeHostedUi } from '../../lib/oauth-callback'

/** Where the Hosted UI returns with `code` and `state`: register `<origin><basePath>/callback` as a callback URL. */
export default defineEventHandler(completeHostedUi)
