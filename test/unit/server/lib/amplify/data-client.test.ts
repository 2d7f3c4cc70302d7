import { describe, expect, it } from 'vitest'
import { parseAmplifyConfig } from 'aws-amplify/utils'
import { assertDataConfig, requestDataClient } from '../../../../../src/runtime/server/lib/amplify/data-client'
import { AmplifyConfigError } from '../../../../../src/runtime/shared/config'

const auth = { aws_region: 'us-east-1', user_pool_id: 'us-east-1_pool', user_pool_client_id: 'client' }
const data = { url: 'https://api.example.com/graphql', aws_region: 'us-east-1', default_authorization_type: 'AMAZON_COGNITO_USER_POOLS', authorization_types: [] }
// The smallest introspection Amplify's parser accepts: the client only needs it to be there to build `models`.
const modelIntrospection = { version: 1, models: {}, enums: {}, nonModels: {} }
const outputs = (dataSection?: object) => parseAmplifyConfig({ version: '1.3', auth, ...(dataSection && { data: dataSection }) } as never)

describe('the data config a Schema client needs', () => {
  it('names the missing `data` section when the outputs have none (a Schema used without data config)', () => {
    expect(() => assertDataConfig(outputs())).toThrow(AmplifyConfigError)
    expect(() => assertDataConfig(outputs())).toThrow(/has no data API.*`data` section of amplify_outputs\.json/)
  })

  it('names `data.model_introspection` when the data section lacks it', () => {
    expect(() => assertDataConfig(outputs(data))).toThrow(/`data\.model_introspection` is missing from amplify_outputs\.json/)
  })

  it('accepts Gen2 outputs with the model introspection', () => {
    expect(() => assertDataConfig(outputs({ ...data, model_introspection: modelIntrospection }))).not.toThrow()
  })

  it('is checked before a request\'s client is made: getAmplifyDataClient and useAmplifyData fail with it, not later', () => {
    // The context is never reached: the config check comes first.
    expect(() => requestDataClient({} as never, outputs(data))).toThrow(/model_introspection/)
    expect(() => requestDataClient({} as never, outputs())).toThrow(/has no data API/)
  })
})
