// A minimal Lambda runtime: imports the handler module given as argument and invokes `handler(event, context)`
// for each event received over IPC, as AWS's runtime interface client does. A plain Node process, because
// vitest's workers resolve packages with the `development` condition (a Lambda does not), and the traced
// bundle ships only what production resolution needs.
import { pathToFileURL } from 'node:url'

const { handler } = await import(pathToFileURL(process.argv[2]).href)

process.on('message', async ({ id, event }) => {
  const context = { functionName: 'nuxt', awsRequestId: `local-${id}`, getRemainingTimeInMillis: () => 30_000 }
  try {
    process.send({ id, result: await handler(event, context) })
  }
  catch (error) {
    process.send({ id, error: String(error?.stack ?? error) })
  }
})
process.send({ ready: true })
