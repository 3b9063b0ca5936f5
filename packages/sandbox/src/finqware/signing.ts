import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { finqwareJwksSchema, SIGNING_AUDIENCE, type FinqwareJwks } from '@guidepost/provider-contracts/finqware';
import { finqwareError } from './errors';

/**
 * The service account whose signatures `/v1s` accepts: its email and its published public keys, a JWKS
 * whose keys are named by key id (up to 10, for rotation), as Finqware reads them from Google. Only
 * public keys: the sandbox never sees the private key the client signs with.
 */
export interface SigningOptions {
  email: string;
  jwks: FinqwareJwks;
}

/** The longest lifetime a request JWT may claim (Finqware asks for "a short exp"). */
export const MAX_SIGNATURE_LIFETIME_SECONDS = 10 * 60;
/** How far in the future `iat` may be, for clocks slightly ahead of ours. */
const CLOCK_SKEW_SECONDS = 60;

const SEGMENT = /^[A-Za-z0-9_-]+$/;

interface VerificationKey {
  kid: string;
  key: KeyObject;
}

/** Base64 (standard alphabet, padded) of the SHA-256 of the exact body bytes: the JWT's `digest` claim. */
export function bodyDigest(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('base64');
}

/** The JWKS's keys, each checked once here: a set that is not a valid JWKS, or a key that is not one, stops the sandbox from starting. */
function loadKeys(options: SigningOptions): VerificationKey[] {
  const parsed = finqwareJwksSchema.safeParse(options.jwks);
  if (!parsed.success) {
    throw new TypeError(
      `Finqware sandbox signing: the JWKS is not valid (${parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`).join('; ')}).`,
    );
  }
  return parsed.data.keys.map(({ kid, kty, n, e }) => {
    try {
      return { kid, key: createPublicKey({ key: { kty, n, e }, format: 'jwk' }) };
    } catch {
      throw new TypeError(`Finqware sandbox signing: the JWKS key ${kid} is not a usable RSA public key.`);
    }
  });
}

function decodeJson(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Why the JWT does not hold, or the body digest it claims (judged once the body is read). Reasons name
 * the claim, never a value.
 */
function jwtProblem(authorization: string | null, nowMs: number, email: string, keys: readonly VerificationKey[]): string | { digest: unknown } {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
  if (!match?.[1]) return 'A signed request needs Authorization: Bearer <JWT>.';
  const parts = match[1].split('.');
  const [headerPart, payloadPart, signaturePart] = parts;
  if (parts.length !== 3 || !headerPart || !payloadPart || !signaturePart || !parts.every((part) => SEGMENT.test(part))) {
    return 'The bearer token is not a JWT.';
  }
  const header = decodeJson(headerPart);
  if (!header || header.alg !== 'RS256') return 'The JWT must be signed with RS256.';
  if (header.crit !== undefined) return 'The JWT has critical headers the sandbox does not understand.';

  // The key id names the one key to check with [doc]: no kid, or one the account does not publish, is refused.
  if (typeof header.kid !== 'string' || header.kid === '') return 'The JWT header must name the service account key (kid).';
  const key = keys.find(({ kid }) => kid === header.kid)?.key;
  if (!key) return 'The JWT names a key (kid) the service account does not publish.';
  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  const signature = Buffer.from(signaturePart, 'base64url');
  if (!verify('RSA-SHA256', signed, key, signature)) return 'The JWT signature does not verify.';

  const claims = decodeJson(payloadPart);
  if (!claims) return 'The JWT payload is not a JSON object.';
  for (const claim of ['iss', 'sub', 'email'] as const) {
    if (claims[claim] !== email) return `The JWT ${claim} must be the service account email.`;
  }
  const audience = claims.aud;
  if (!(audience === SIGNING_AUDIENCE || (Array.isArray(audience) && audience.includes(SIGNING_AUDIENCE)))) {
    return `The JWT aud must be ${SIGNING_AUDIENCE}.`;
  }
  const { iat, exp } = claims;
  if (!isTime(iat) || !isTime(exp)) return 'The JWT needs numeric iat and exp.';
  const nowSeconds = Math.floor(nowMs / 1000);
  if (exp <= nowSeconds) return 'The JWT has expired.';
  if (iat > nowSeconds + CLOCK_SKEW_SECONDS) return 'The JWT iat is in the future.';
  if (exp <= iat || exp - iat > MAX_SIGNATURE_LIFETIME_SECONDS)
    return `The JWT lifetime (exp - iat) must be at most ${MAX_SIGNATURE_LIFETIME_SECONDS} seconds.`;
  return { digest: claims.digest };
}

const DIGEST_MISMATCH = 'The JWT digest does not match the request body.';

/** How `/v1s` requests are checked: the JWT before the body is read, then the body against the digest it claims. */
export interface SignatureCheck {
  /** The 401 invalid_signature to answer (always, when signing is not configured), or the digest the JWT claims. */
  claims(request: Request, nowMs: number): Response | { digest: unknown };
  /** The 401 when `digest` (bodyDigest of the bytes received) is not the one claimed; null when it is. */
  body(claimed: { digest: unknown }, digest: string): Response | null;
}

/** Checks `/v1s` requests against the service account's published keys. */
export function createSignatureCheck(options: SigningOptions | undefined): SignatureCheck {
  const body = (claimed: { digest: unknown }, digest: string) => (claimed.digest === digest ? null : finqwareError('invalid_signature', DIGEST_MISMATCH));
  if (!options) {
    return { claims: () => finqwareError('invalid_signature', 'Signed requests (/v1s) are not configured for this tenant; use /v1.'), body };
  }
  const keys = loadKeys(options);
  return {
    claims(request, nowMs) {
      const judged = jwtProblem(request.headers.get('authorization'), nowMs, options.email, keys);
      return typeof judged === 'string' ? finqwareError('invalid_signature', judged) : judged;
    },
    body,
  };
}
