/**
 * What a person recognises: the login id Amplify keeps from a password sign-in, else (a Hosted UI sign-in, whose
 * username is the user's UUID) the email or preferred username, read once per user from Cognito.
 */
export function useDisplayName() {
  const user = useAmplifyUser()
  const needsAttributes = computed(() => !!user.value && !user.value.signInDetails?.loginId)
  const { data: attributes } = useAsyncData(
    'display-name',
    () => needsAttributes.value ? useAmplify().Auth.fetchUserAttributes() : Promise.resolve(null),
    { watch: [() => user.value?.userId] },
  )
  return computed(() => {
    if (!user.value) return ''
    return user.value.signInDetails?.loginId ?? attributes.value?.email ?? attributes.value?.preferred_username ?? user.value.username
  })
}
