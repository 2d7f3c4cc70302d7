import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadNuxt } from '@nuxt/kit'
import { fixtureDir } from '../support/fixtures'

const nuxi = fileURLToPath(new URL('../../node_modules/.bin/nuxi', import.meta.url))

/** Runs `nuxi build` as a user would; resolves with the exit code and everything printed. */
function build(rootDir: string): Promise<{ code: number, output: string }> {
  return new Promise((resolve) => {
    execFile(nuxi, ['build', rootDir], { timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr })
    })
  })
}

describe('friendly failures at build time', () => {
  it('a missing amplify_outputs.json stops the build with one message that says how to get it', async () => {
    const { code, output } = await build(fixtureDir('no-config'))
    expect(code).not.toBe(0)
    expect(output.match(/amplify_outputs\.json not found/g)).toHaveLength(1)
    expect(output).toContain(`amplify.config: amplify_outputs.json not found in ${fixtureDir('no-config')}`)
    expect(output).toContain('npx ampx sandbox')
    expect(output).toContain('npx ampx generate outputs --app-id <id> --branch <branch>')
    expect(output).toContain('./src/amplifyconfiguration.json')
    // A configuration mistake: no stack trace into Nuxt's internals.
    expect(output).not.toMatch(/\n\s+at .*module\.ts/)
  })

  it('a file that is not JSON is named as such', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nuxt-amplify-ssr-config-'))
    const file = join(dir, 'amplify_outputs.json')
    writeFileSync(file, '{ "auth": ')
    try {
      await expect(loadNuxt({ cwd: fixtureDir('no-config'), overrides: { amplify: { config: file } } }))
        .rejects.toThrow(`amplify.config: ${file} is not valid JSON`)
    }
    finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
