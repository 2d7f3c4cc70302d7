import { existsSync, readFileSync } from 'node:fs'
import { relative } from 'node:path'
import type { ResourcesConfig } from 'aws-amplify'
import { parseAmplifyConfig } from 'aws-amplify/utils'
import { AmplifyConfigError } from './runtime/shared/config'

/** What `amplify.config` accepts: Gen2 outputs, Gen1 configuration, or a `ResourcesConfig`. */
export type AmplifyConfigInput = ResourcesConfig | Parameters<typeof parseAmplifyConfig>[0]

/** The build's one message when the outputs file is missing: what was looked for, and the ways to provide it. */
function missingFileMessage(file: string, rootDir: string): string {
  return [
    `amplify.config: ${file} not found in ${rootDir}. nuxt-amplify-ssr reads your Amplify outputs at build time. Either:`,
    '  - Amplify Gen 2: run `npx ampx sandbox` (development) or '
    + '`npx ampx generate outputs --app-id <id> --branch <branch>` in the app root;',
    '  - Amplify Gen 1: set `amplify: { config: \'./src/amplifyconfiguration.json\' }` in nuxt.config (written by `amplify pull`);',
    '  - or give the ids in nuxt.config: `amplify: { config: { Auth: { Cognito: { userPoolId, userPoolClientId } } } }`.',
  ].join('\n')
}

/** Outputs files, Gen1 files and `ResourcesConfig` objects all become a `ResourcesConfig`. */
export function loadResources(config: string | AmplifyConfigInput, rootDir: string, resolvePath: (p: string) => string): ResourcesConfig {
  let input = config
  if (typeof config === 'string') {
    const file = resolvePath(config)
    if (!existsSync(file)) throw new AmplifyConfigError(missingFileMessage(relative(rootDir, file), rootDir))
    try {
      input = JSON.parse(readFileSync(file, 'utf8'))
    }
    catch (error) {
      throw new AmplifyConfigError(`amplify.config: ${file} is not valid JSON (${(error as Error).message}).`)
    }
  }
  if (!input || typeof input !== 'object') throw new AmplifyConfigError('amplify.config must be an object or the path of a JSON file.')
  const isResourcesConfig = ['Auth', 'API', 'Storage'].some(key => key in input)
  return isResourcesConfig ? input as ResourcesConfig : parseAmplifyConfig(input as Parameters<typeof parseAmplifyConfig>[0])
}
