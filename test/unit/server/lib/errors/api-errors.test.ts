import { describe, expect, it } from 'vitest'
import { createAmplifyError } from '../../../../../src/runtime/server/utils/amplify-errors'
import { isSubscription } from '../../../../../src/runtime/server/lib/amplify/graphql-client'

const named = (name: string, extra: object = {}) => Object.assign(new Error('upstream detail'), { name, ...extra })

describe('createAmplifyError for REST, GraphQL and Storage failures', () => {
  it.each([
    ['REST 403', named('AccessDeniedException', { $metadata: { httpStatusCode: 403 } }), 403, 'AccessDeniedException'],
    ['REST 404', named('NotFound', { $metadata: { httpStatusCode: 404 } }), 404, 'NotFound'],
    ['REST 500 upstream', named('InternalFailure', { $metadata: { httpStatusCode: 500 } }), 502, 'InternalFailure'],
    ['Storage AccessDenied', named('AccessDenied', { metadata: { httpStatusCode: 403 } }), 403, 'AccessDenied'],
    ['no credentials (no guest access)', named('NoCredentials'), 401, 'NoCredentials'],
    ['GraphQL user-pool auth signed out', named('NoValidAuthTokens'), 401, 'NoValidAuthTokens'],
    ['GraphQL HTTP 401', { data: {}, errors: [{ message: 'Unauthorized' }] }, 401, 'Unauthorized'],
    ['GraphQL field not authorized', { data: null, errors: [{ errorType: 'Unauthorized', message: 'Not Authorized to access x on type Query' }] }, 403, 'Unauthorized'],
    ['GraphQL other error', { data: null, errors: [{ errorType: 'DynamoDB:ConditionalCheckFailedException', message: 'x' }] }, 502, 'DynamoDB:ConditionalCheckFailedException'],
    ['browser API on the server', named('NoAmplifyContextError'), 500, 'NoAmplifyContextError'],
  ])('%s', (_, error, statusCode, code) => {
    const h3 = createAmplifyError(error)
    expect(h3.statusCode).toBe(statusCode)
    expect(h3.data).toMatchObject({ code })
    expect(h3.message).not.toContain('upstream detail')
  })

  it('keeps the Auth mapping for Cognito errors that also carry HTTP metadata', () => {
    expect(createAmplifyError(named('NotAuthorizedException', { $metadata: { httpStatusCode: 400 } })).statusCode).toBe(401)
  })
})

describe('isSubscription', () => {
  it.each([
    ['subscription OnNote { onCreateNote { id } }', true],
    ['# a comment\n  subscription { a }', true],
    ['query { a } subscription S { b }', true],
    ['query { subscriptionCount }', false],
    ['{ a }', false],
    [{ definitions: [{ kind: 'OperationDefinition', operation: 'subscription' }] }, true],
    [{ definitions: [{ kind: 'OperationDefinition', operation: 'query' }] }, false],
  ])('%j -> %s', (query, expected) => {
    expect(isSubscription(query)).toBe(expected)
  })
})
