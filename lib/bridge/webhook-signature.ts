import 'server-only';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BRIDGE_SIGNATURE, bridgeSignatureDigests } from '@guidepost/provider-contracts/bridge';

// BridgeApi-Signature in the contract's format: "v1=<hex>, v1=<hex>, v0=..." — several v1 entries while
// a secret is rotated, other schemes ignored, hex in either case.

/** True when any v1 signature in the header is the HMAC-SHA256 of the raw body under any of the secrets. */
export function verifyBridgeSignature(rawBody: string | Uint8Array, header: string | null, secrets: string[]): boolean {
  if (!header) return false;
  const given = bridgeSignatureDigests(header).map((digest) => Buffer.from(digest, 'hex'));
  if (given.length === 0) return false;
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  let valid = false;
  for (const secret of secrets) {
    if (!secret) continue;
    const expected = createHmac(BRIDGE_SIGNATURE.algorithm, secret).update(body).digest();
    // Every pair is compared (no early exit) so timing does not tell which entry or secret matched.
    for (const signature of given) valid = timingSafeEqual(signature, expected) || valid;
  }
  return valid;
}
