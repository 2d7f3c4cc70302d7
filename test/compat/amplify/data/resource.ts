// The consumer apps' Gen2 data schema (copied into each app as `amplify/data/resource.ts` by scripts/compat.mjs, and
// served to them by the local AppSync): one owner-scoped model is enough to prove the data client on each Nuxt.
import { type ClientSchema, a } from '@aws-amplify/data-schema'

export const schema = a.schema({
  Todo: a.model({
    content: a.string().required(),
    done: a.boolean(),
  }).authorization(allow => [allow.owner()]),
})

export type Schema = ClientSchema<typeof schema>
