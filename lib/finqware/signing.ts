import 'server-only';
import { createHash } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import { SIGNING_AUDIENCE, SIGNING_TTL_SECONDS } from '@guidepost/provider-contracts/finqware';

// Request signing for Finqware's /v1s base [doc]: a short-lived RS256 JWT carrying the SHA-256 of the exact body bytes.

export interface SigningConfig {
  /** The service account's private key, PKCS#8 PEM. */
  privateKeyPem: string;
  /** The service account's email: iss, sub and email of every JWT. */
  email: string;
  /**
   * The key's id, the JWT header's `kid` (FINQWARE_SIGNING_KEY_ID): the `private_key_id` of the service
   * account's key file, which names the key in the JWKS Finqware checks against. Configured, because it
   * cannot be computed from the key.
   */
  keyId: string;
}

const ALG = 'RS256';

/** A body as sent: one buffer, or its parts in order (a multipart upload: the file is never copied into one). */
export type BodyBytes = Uint8Array | readonly Uint8Array[];

/** Base64 (standard alphabet, padded) of the SHA-256 of the bytes exactly as sent, part after part. */
export function bodyDigest(body: BodyBytes): string {
  const hash = createHash('sha256');
  for (const part of body instanceof Uint8Array ? [body] : body) hash.update(part);
  return hash.digest('base64');
}

// One import per key: parsing the PEM on every request would be wasted work.
const keys = new Map<string, Promise<CryptoKey>>();

function signingKey(privateKeyPem: string): Promise<CryptoKey> {
  let pending = keys.get(privateKeyPem);
  if (!pending) {
    // Not extractable: nothing here needs the key's material back.
    pending = importPKCS8(privateKeyPem, ALG);
    // A key that failed to import is not remembered, so a corrected configuration is picked up.
    pending.catch(() => keys.delete(privateKeyPem));
    keys.set(privateKeyPem, pending);
  }
  return pending;
}

/** The JWT for `Authorization: Bearer <jwt>` on a /v1s call whose body is exactly `body`. */
export async function signRequestBody(body: BodyBytes, options: SigningConfig & { now?: number }): Promise<string> {
  const key = await signingKey(options.privateKeyPem);
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  return new SignJWT({ email: options.email, digest: bodyDigest(body) })
    .setProtectedHeader({ alg: ALG, typ: 'JWT', kid: options.keyId })
    .setIssuedAt(iat)
    .setExpirationTime(iat + SIGNING_TTL_SECONDS)
    .setIssuer(options.email)
    .setSubject(options.email)
    .setAudience(SIGNING_AUDIENCE)
    .sign(key);
}
