/**
 * The records of a Gen2 data call in the browser, or its first error thrown: Amplify resolves model calls with
 * `errors` instead of rejecting, and the playground shows them on the page (usePageAction).
 */
export function dataOf<T>(result: { data: T, errors?: { message: string }[] }): T {
  if (result.errors?.length) throw new Error(result.errors.map(error => error.message).join('; '))
  return result.data
}
