import { describe, expect, it } from 'vitest'
import { challengeResponses, decodeChallenge, encodeChallenge, nextStepOf } from '../../../../../src/runtime/server/lib/server-auth/challenges'

describe('Cognito challenges in Amplify\'s words', () => {
  const pending = { name: 'NEW_PASSWORD_REQUIRED', session: 'S', username: 'sub-1', loginId: 'a@example.com' }

  it('names the next step', () => {
    expect(nextStepOf({ ChallengeName: 'NEW_PASSWORD_REQUIRED', ChallengeParameters: { requiredAttributes: '["userAttributes.name"]' } }))
      .toEqual({ signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', missingAttributes: ['name'] })
    expect(nextStepOf({ ChallengeName: 'SMS_MFA', ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******1234' } }))
      .toEqual({ signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDeliveryDetails: { deliveryMedium: 'SMS', destination: '+*******1234' } })
    expect(nextStepOf({ ChallengeName: 'SOFTWARE_TOKEN_MFA' })).toEqual({ signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' })
    expect(nextStepOf({ ChallengeName: 'SELECT_MFA_TYPE', ChallengeParameters: { MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]' } }))
      .toEqual({ signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', allowedMFATypes: ['SMS', 'TOTP'] })
    expect(nextStepOf({ ChallengeName: 'CUSTOM_CHALLENGE' })).toBeUndefined()
  })

  it('builds the answer Cognito expects', () => {
    expect(challengeResponses(pending, 'New-passw0rd!', { name: 'Carol' }))
      .toEqual({ 'USERNAME': 'sub-1', 'NEW_PASSWORD': 'New-passw0rd!', 'userAttributes.name': 'Carol' })
    expect(challengeResponses({ ...pending, name: 'SMS_MFA' }, '123456')).toEqual({ USERNAME: 'sub-1', SMS_MFA_CODE: '123456' })
    expect(challengeResponses({ ...pending, name: 'SOFTWARE_TOKEN_MFA' }, '123456')).toEqual({ USERNAME: 'sub-1', SOFTWARE_TOKEN_MFA_CODE: '123456' })
    expect(challengeResponses({ ...pending, name: 'SELECT_MFA_TYPE' }, 'TOTP')).toEqual({ USERNAME: 'sub-1', ANSWER: 'SOFTWARE_TOKEN_MFA' })
  })

  it('reads back only an intact challenge cookie', () => {
    expect(decodeChallenge(encodeChallenge(pending))).toEqual(pending)
    for (const broken of [undefined, '', 'not json', '["a","b"]', '{"name":"x"}', '["", "S", "u", "l"]']) {
      expect(decodeChallenge(broken), String(broken)).toBeUndefined()
    }
  })
})
