type Write = (chunk: string) => boolean

/**
 * Prints a suite's one-line figure. The Nuxt build that `setup()` runs leaves consola wrapping `console` and
 * `process.stdout` (`logger.wrapAll()`), which drops output below its test log level: write with the stream's
 * own `write`, which consola keeps as `__write`.
 */
export function figure(line: string): void {
  const stdout = process.stdout as typeof process.stdout & { __write?: Write }
  const write: Write = stdout.__write ?? stdout.write
  write.call(stdout, `${line}\n`)
}
