import { describe, expect, it } from 'vitest'
import { createError } from 'h3'
import { createAmplifyError } from '../../../../src/runtime/server/utils/amplify-errors'

describe('createAmplifyError', () => {
  it.each([
    ['NotAuthorizedException', 401, 'Authentication required'],
    ['TokenExpiredException', 401, 'Authentication required'],
    ['UserUnAuthenticatedException', 401, 'Authentication required'],
    ['UserNotConfirmedException', 403, 'User is not confirmed'],
    ['NetworkError', 503, 'Authentication service unavailable'],
    ['AuthServiceUnavailableError', 503, 'Authentication service unavailable'],
    ['SomethingElse', 500, 'Amplify request failed'],
  ])('maps %s to %i', (name, statusCode, message) => {
    const error = createAmplifyError(Object.assign(new Error('internal detail'), { name }))
    expect(error.statusCode).toBe(statusCode)
    expect(error.message).toBe(message)
    expect(error.data).toEqual({ error: message, code: name })
  })

  it('passes h3 errors through', () => {
    const original = createError({ statusCode: 418 })
    expect(createAmplifyError(original)).toBe(original)
  })

  it('copes with values that are not errors', () => {
    expect(createAmplifyError(undefined).statusCode).toBe(500)
    expect(createAmplifyError('text').statusCode).toBe(500)
  })
})
