// The playground's Gen2 data backend, as `amplify/data/resource.ts` is in an Amplify Gen2 app (there with
// `defineData` from `@aws-amplify/backend`; the schema builder `a` is the same `@aws-amplify/data-schema`).
// `npm run dev` and the tests serve exactly this schema from a local AppSync (test/backends/appsync).
import { type ClientSchema, a } from '@aws-amplify/data-schema'

export const schema = a.schema({
  Priority: a.enum(['LOW', 'MEDIUM', 'HIGH']),

  // Each signed-in user sees and changes only their own todos.
  Todo: a.model({
    content: a.string().required(),
    done: a.boolean().default(false),
    priority: a.ref('Priority'),
    comments: a.hasMany('Comment', 'todoId'),
  })
    .secondaryIndexes(index => [index('priority')])
    .authorization(allow => [allow.owner()]),

  // The playground's /notes page: one signed-in user's notes, as the Todo model's but without relations.
  Note: a.model({
    text: a.string().required(),
  }).authorization(allow => [allow.owner()]),

  Comment: a.model({
    todoId: a.id(),
    todo: a.belongsTo('Todo', 'todoId'),
    text: a.string().required(),
  }).authorization(allow => [allow.owner()]),

  // Readable by everyone (guests through the identity pool, the API key, callers with a token the Lambda authorizer
  // accepts), written by signed-in users.
  Notice: a.model({
    title: a.string().required(),
    body: a.string(),
    category: a.string().required(),
  })
    .secondaryIndexes(index => [index('category')])
    .authorization(allow => [
      allow.guest().to(['read']),
      allow.publicApiKey().to(['read']),
      allow.custom().to(['read']),
      allow.authenticated(),
    ]),

  EchoResult: a.customType({
    text: a.string().required(),
    length: a.integer().required(),
    caller: a.string(),
  }),

  // An AppSync JS resolver without a data source: it answers from its arguments and the caller's identity.
  echo: a.query()
    .arguments({ text: a.string().required() })
    .returns(a.ref('EchoResult'))
    .handler(a.handler.custom({ entry: './echo.js' }))
    .authorization(allow => [allow.authenticated(), allow.publicApiKey()]),

  // A custom mutation on the same kind of handler, for signed-in users only.
  shout: a.mutation()
    .arguments({ text: a.string().required() })
    .returns(a.ref('EchoResult'))
    .handler(a.handler.custom({ entry: './shout.js' }))
    .authorization(allow => [allow.authenticated()]),
})

export type Schema = ClientSchema<typeof schema>
