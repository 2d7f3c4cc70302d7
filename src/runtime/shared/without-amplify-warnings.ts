import { ConsoleLogger } from 'aws-amplify/utils'

/**
 * Runs `run` with Amplify's logger at ERROR. `Amplify.configure` warns about a custom Cognito endpoint (an emulator,
 * a proxy) on every call: once per request on a server, once per page load in a browser. Configuring is synchronous,
 * so exactly that call is silenced.
 */
export function withoutAmplifyWarnings<T>(run: () => T): T {
  const level = ConsoleLogger.LOG_LEVEL
  ConsoleLogger.LOG_LEVEL = 'ERROR'
  try {
    return run()
  }
  finally {
    ConsoleLogger.LOG_LEVEL = level
  }
}
