import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';

// BridgeApi-Signature: "v1=<hex>, v1=<hex>, v0=..." — several v1 entries while a secret is rotated.
const SCHEME = 'v1';
const HEX_SHA256 = /^[0-9a-f]{64}$/;

function signatures(header: string): Buffer[] {
  const found: Buffer[] = [];
  for (const entry of header.split(',')) {
    const separator = entry.indexOf('=');
    if (separator < 0) continue;
    if (entry.slice(0, separator).trim().toLowerCase() !== SCHEME) continue;
    // Integrations see upper-case hex; normalise so either case matches. Anything not 64 hex digits cannot match.
    const value = entry.slice(separator + 1).trim().toLowerCase();
    if (HEX_SHA256.test(value)) found.push(Buffer.from(value, 'hex'));
  }
  return found;
}

/** True when any v1 signature in the header is the HMAC-SHA256 of the raw body under any of the secrets. */
export function verifyBridgeSignature(rawBody: string | Uint8Array, header: string | null, secrets: string[]): boolean {
  if (!header) return false;
  const given = signatures(header);
  if (given.length === 0) return false;
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  let valid = false;
  for (const secret of secrets) {
    if (!secret) continue;
    const expected = createHmac('sha256', secret).update(body).digest();
    // Every pair is compared (no early exit) so timing does not tell which entry or secret matched.
    for (const signature of given) valid = timingSafeEqual(signature, expected) || valid;
  }
  return valid;
}
