// Everything the local AppSync knows comes from one Gen2 schema file (`amplify/data/resource.ts`), derived as Amplify
// derives it: `schema.transform()` (the Gen2 SDL and the custom handlers), `generateModels` from
// `@aws-amplify/graphql-generator` (the `model_introspection` that `ampx` writes into amplify_outputs.json) and the
// data construct's transformer (the deployed AppSync schema, see transform.mjs).
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateModels } from '@aws-amplify/graphql-generator'
import { createJiti } from 'jiti'

const require = createRequire(import.meta.url)
const TRANSFORM = fileURLToPath(new URL('./transform.mjs', import.meta.url))
const CACHE_DIR = fileURLToPath(new URL('../../../node_modules/.cache/local-appsync/', import.meta.url))

/** The `a.schema(...)` a resource file exports: `schema`, the default export, or the `schema` given to `defineData`. */
function findSchema(exports, file) {
  const schema = [exports.schema, exports.default, exports.data?.props?.schema].find(s => typeof s?.transform === 'function')
  if (!schema) throw new Error(`${file} exports no Gen2 data schema (\`export const schema = a.schema({ ... })\`)`)
  return schema
}

function runTransform(sdl, defaultAuthorizationMode) {
  return new Promise((done, fail) => {
    const child = execFile(process.execPath, [TRANSFORM, defaultAuthorizationMode], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) fail(new Error(`Amplify's transformer failed on the data schema:\n${stderr || error.message}`))
      else done(stdout)
    })
    child.stdin.end(sdl)
  })
}

/** The deployed AppSync schema, cached by the Gen2 SDL, the default auth mode and the transformer's version and setup. */
async function appSyncSchema(sdl, defaultAuthorizationMode) {
  const version = require('@aws-amplify/data-construct/package.json').version
  const inputs = [sdl, defaultAuthorizationMode, version, readFileSync(TRANSFORM, 'utf8')]
  const key = createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 32)
  const cached = join(CACHE_DIR, `${key}.graphql`)
  if (existsSync(cached)) return readFileSync(cached, 'utf8')
  const appSync = await runTransform(sdl, defaultAuthorizationMode)
  mkdirSync(CACHE_DIR, { recursive: true })
  // Test files start services in parallel: a reader sees the whole file or none.
  const partial = `${cached}.${process.pid}`
  writeFileSync(partial, appSync)
  renameSync(partial, cached)
  return appSync
}

/**
 * @param {string} file  the Gen2 data resource file (`.ts` or `.js`)
 * @param {{ defaultAuthorizationMode?: 'userPool' | 'apiKey' | 'iam' }} [options]
 * @returns {Promise<{ sdl: string, appSyncSdl: string, modelIntrospection: object,
 *   handlers: Map<string, { dataSource: string, entry: string }> }>}  `handlers` by `Query.echo`-style key,
 *   with `entry` an absolute path
 */
export async function loadDataSchema(file, { defaultAuthorizationMode = 'userPool' } = {}) {
  const path = resolve(file)
  // A fresh loader each time: the schema file is read as it is now, not as a module cache remembers it.
  const jiti = createJiti(import.meta.url, { moduleCache: false, fsCache: false })
  const transformed = findSchema(await jiti.import(path), path).transform()
  const { 'model-introspection.json': introspection } = await generateModels({ schema: transformed.schema, target: 'introspection' })
  const handlers = new Map()
  for (const { typeName, fieldName, handlers: [handler, ...pipeline] } of transformed.jsFunctions) {
    if (pipeline.length) throw new Error(`${typeName}.${fieldName}: pipelines of several custom handlers are not supported locally`)
    handlers.set(`${typeName}.${fieldName}`, { dataSource: handler.dataSource, entry: resolve(dirname(path), handler.entry.relativePath) })
  }
  return {
    sdl: transformed.schema,
    appSyncSdl: await appSyncSchema(transformed.schema, defaultAuthorizationMode),
    modelIntrospection: JSON.parse(introspection),
    handlers,
  }
}
