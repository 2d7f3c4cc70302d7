// PKCE (RFC 7636) with Web Crypto, so that the auth routes run on every Nitro preset, not only Node.

function base64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** A random URL-safe string carrying `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)))
}

/** The S256 code challenge of a verifier: base64url(SHA-256(verifier)). */
export async function codeChallengeS256(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))))
}

/** A code verifier (64 characters, within RFC 7636's 43–128) and its S256 challenge. */
export async function createPkcePair(): Promise<{ verifier: string, challenge: string }> {
  const verifier = randomToken(48)
  return { verifier, challenge: await codeChallengeS256(verifier) }
}
