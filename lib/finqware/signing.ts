import 'server-only';
import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, importPKCS8, SignJWT, type JWK } from 'jose';
import { SIGNING_AUDIENCE, SIGNING_TTL_SECONDS } from '@guidepost/provider-contracts/finqware';

// Request signing for Finqware's /v1s base [doc]: a short-lived RS256 JWT carrying the SHA-256 of the exact body bytes.

export interface SigningConfig {
  /** The service account's private key, PKCS#8 PEM. */
  privateKeyPem: string;
  /** The service account's email: iss, sub and email of every JWT. */
  email: string;
}

const ALG = 'RS256';

/** Base64 (standard alphabet, padded) of the SHA-256 of the bytes exactly as sent. */
export function bodyDigest(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('base64');
}

interface SigningKey {
  key: CryptoKey;
  kid: string;
  publicJwk: JWK;
}

// One import per key: parsing the PEM and hashing the JWK on every request would be wasted work.
const keys = new Map<string, Promise<SigningKey>>();

async function importSigningKey(privateKeyPem: string): Promise<SigningKey> {
  const key = await importPKCS8(privateKeyPem, ALG, { extractable: true });
  const { kty, n, e } = await exportJWK(key);
  if (kty !== 'RSA' || n === undefined || e === undefined) throw new TypeError('The Finqware signing key must be an RSA private key.');
  // The key id Finqware matches against the published JWKS: the RFC 7638 thumbprint of the public key.
  const kid = await calculateJwkThumbprint({ kty, n, e }, 'sha256');
  return { key, kid, publicJwk: { kty, n, e, kid, alg: ALG, use: 'sig' } };
}

function signingKey(privateKeyPem: string): Promise<SigningKey> {
  let pending = keys.get(privateKeyPem);
  if (!pending) {
    pending = importSigningKey(privateKeyPem);
    // A key that failed to import is not remembered, so a corrected configuration is picked up.
    pending.catch(() => keys.delete(privateKeyPem));
    keys.set(privateKeyPem, pending);
  }
  return pending;
}

/** The key id (RFC 7638 thumbprint) of the public half of a PKCS#8 private key. */
export async function signingKeyId(privateKeyPem: string): Promise<string> {
  return (await signingKey(privateKeyPem)).kid;
}

/** The public JWK to publish in the service account's JWKS (and to give the sandbox). */
export async function signingPublicJwk(privateKeyPem: string): Promise<JWK> {
  return { ...(await signingKey(privateKeyPem)).publicJwk };
}

/** The JWT for `Authorization: Bearer <jwt>` on a /v1s call whose body is exactly `body`. */
export async function signRequestBody(body: Uint8Array, options: SigningConfig & { now?: number }): Promise<string> {
  const { key, kid } = await signingKey(options.privateKeyPem);
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  return new SignJWT({ email: options.email, digest: bodyDigest(body) })
    .setProtectedHeader({ alg: ALG, typ: 'JWT', kid })
    .setIssuedAt(iat)
    .setExpirationTime(iat + SIGNING_TTL_SECONDS)
    .setIssuer(options.email)
    .setSubject(options.email)
    .setAudience(SIGNING_AUDIENCE)
    .sign(key);
}
