// Never called: checked by `npm run test:types`. The module's types must accept the documented `amplifyAuth` values
// (page meta, route rules) and reject others; an unused @ts-expect-error fails the typecheck.
import type { NitroRouteConfig } from 'nitropack/types'
import type { Schema } from './amplify/data/resource'

export function amplifyAuthTypes() {
  definePageMeta({ amplifyAuth: true })
  definePageMeta({ amplifyAuth: false })
  definePageMeta({ amplifyAuth: 'guest' })
  definePageMeta({ amplifyAuth: { groups: ['admin'] } })
  // @ts-expect-error not one of true | 'guest' | false | { groups }
  definePageMeta({ amplifyAuth: 'yes' })
  // @ts-expect-error groups is a list
  definePageMeta({ amplifyAuth: { groups: 'admin' } })
  // @ts-expect-error group, not groups
  definePageMeta({ amplifyAuth: { group: ['admin'] } })

  const rules: Record<string, NitroRouteConfig> = {
    '/admin/**': { amplifyAuth: { groups: ['admin'] } },
    '/api/private/**': { amplifyAuth: true },
    '/login': { amplifyAuth: 'guest' },
    // @ts-expect-error not a rule
    '/typo': { amplifyAuth: 'admin' },
  }
  return rules
}

export function sessionTypes(session: NonNullable<ReturnType<typeof useAmplifySession>['value']>) {
  const groups: string[] = session.groups
  const email: string | undefined = session.claims.email
  // Extended by the app (server/plugins/session-role.ts).
  const role: 'administrator' | 'member' | undefined = session.data.role
  // @ts-expect-error not declared by the app
  const other = session.data.unknown
  return { groups, email, role, other }
}

// Gen2 data, typed by the app's own schema (amplify/data/resource.ts) on both sides of useAmplifyData() and in routes.
export async function dataTypes(event: import('h3').H3Event) {
  const client = useAmplifyData<Schema>()
  const { data: todo } = await client.models.Todo.create({ content: 'typed', priority: 'HIGH' })
  const content: string | undefined = todo?.content
  // @ts-expect-error no such field on Todo
  await client.models.Todo.create({ content: 'typed', contnet: 'typo' })
  // @ts-expect-error content is a string
  await client.models.Todo.update({ id: 'x', content: 42 })
  const { data: listed } = await getAmplifyDataClient<Schema>(event).models.Todo.list({ selectionSet: ['id', 'content'] })
  // @ts-expect-error not in the selection set
  const done = listed[0]?.done
  return { content, done }
}

// WebSocket routes: the server utils take the upgrade request and the peer of `defineWebSocketHandler`.
export const websocketTypes = defineWebSocketHandler({
  async upgrade(request) {
    const user = await requireAmplifyUser(request, { groups: ['admin'] })
    const username: string = user.username
    // @ts-expect-error groups is a list
    await requireAmplifyUser(request, { groups: 'admin' })
    const headers: Headers = amplifyUpgradeHeaders(request)
    return { headers: username ? headers : undefined }
  },
  async message(peer) {
    const session = await getAmplifySession(peer)
    const groups: string[] | undefined = session?.groups
    const user = await getAmplifyUser(peer)
    // @ts-expect-error a peer is no upgrade request: its refresh cookies are the handshake's
    amplifyUpgradeHeaders(peer)
    // @ts-expect-error not an event, request or peer
    await getAmplifyUser('cookie')
    peer.send(JSON.stringify({ groups, id: user?.userId }))
  },
})
