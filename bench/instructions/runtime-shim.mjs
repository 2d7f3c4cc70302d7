// What the drivers' code needs of Nitro and Nuxt outside a server (`nitropack/runtime`, `#imports`): the runtime
// config the driver sets, and an app whose hooks nobody listens to.
import { createHooks } from 'hookable'

const nitroApp = { hooks: createHooks() }

export const useRuntimeConfig = () => globalThis.__benchRuntimeConfig
export const useNitroApp = () => nitroApp
