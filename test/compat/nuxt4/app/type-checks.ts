// Never called: checked by the consumer's typecheck. The module's PageMeta augmentation must accept the
// documented values and reject others; an unused @ts-expect-error fails the typecheck.
export function pageMetaTypes() {
  definePageMeta({ amplifyAuth: true })
  definePageMeta({ amplifyAuth: 'guest' })
  definePageMeta({ middleware: 'amplify-auth' })
  // @ts-expect-error amplifyAuth is boolean | 'guest'
  definePageMeta({ amplifyAuth: 'yes' })
}
