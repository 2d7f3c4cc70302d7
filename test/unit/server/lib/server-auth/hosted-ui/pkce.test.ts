import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { codeChallengeS256, createPkcePair, randomToken } from '../../../../../../src/runtime/server/lib/server-auth/hosted-ui/pkce'

describe('PKCE', () => {
  it('makes S256 challenges as RFC 7636 defines them', async () => {
    const { verifier, challenge } = await createPkcePair()
    expect(verifier).toMatch(/^[\w-]{43,128}$/)
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'))
    expect(await codeChallengeS256('a~b.c_d-e')).toBe(createHash('sha256').update('a~b.c_d-e').digest('base64url'))
  })

  it('never repeats a state', () => {
    const states = new Set(Array.from({ length: 1000 }, () => randomToken()))
    expect(states.size).toBe(1000)
    for (const state of states) expect(state).toMatch(/^[\w-]{43}$/)
  })
})
