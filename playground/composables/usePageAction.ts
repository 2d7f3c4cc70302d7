/**
 * A page's browser-side actions: each one's error is shown on the page (`failure`) rather than lost in the console.
 * `act` clears the previous error, runs the action and keeps its message when it throws.
 */
export function usePageAction() {
  const failure = ref('')
  async function act(action: () => Promise<unknown>) {
    failure.value = ''
    try {
      await action()
    }
    catch (e) {
      failure.value = (e as Error).message
    }
  }
  return { failure, act }
}
