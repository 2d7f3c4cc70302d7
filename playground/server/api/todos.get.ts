import type { Schema } from '~~/amplify/data/resource'

// The signed-in user's own todos (owner rule), as the /todos page lists them: what its browser side reads with serverAuth.
export default defineEventHandler(event => getAmplifyDataClient<Schema>(event).models.Todo.list({ selectionSet: ['id', 'content', 'done'] }))
