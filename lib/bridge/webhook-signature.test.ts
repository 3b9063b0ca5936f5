import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BRIDGE_GUIDANCE_READY_EXAMPLE, BRIDGE_SIGNATURE, BRIDGE_TEST_EVENT_EXAMPLE, bridgeSignatureCases } from '@guidepost/provider-contracts/bridge';
import { guidanceReadyBody, signBridgeWebhook } from '@guidepost/sandbox/bridge';
import { parseBridgeWebhook } from './webhook-events';
import { verifyBridgeSignature } from './webhook-signature';

const SECRET = 'current-webhook-secret-0123456789';
const OLD_SECRET = 'previous-webhook-secret-987654321';
const BODY = JSON.stringify(BRIDGE_GUIDANCE_READY_EXAMPLE);

const hmac = (body: string | Uint8Array, secret: string) => createHmac(BRIDGE_SIGNATURE.algorithm, secret).update(body).digest('hex');

describe('verifyBridgeSignature decides the contract’s signature format', () => {
  // The documented format (upper-case hex, several v1 entries while rotating, other schemes ignored),
  // over both documented example bodies.
  for (const [name, example] of [
    ['guidance.health.ready', BRIDGE_GUIDANCE_READY_EXAMPLE],
    ['TEST_EVENT', BRIDGE_TEST_EVENT_EXAMPLE],
  ] as const) {
    const raw = JSON.stringify(example);
    it.each(bridgeSignatureCases((secret) => hmac(raw, secret)).map((c) => [c.name, c] as const))(`${name}: %s`, (_, c) => {
      expect(verifyBridgeSignature(raw, c.header, c.secrets)).toBe(c.valid);
    });
  }
});

describe('verifyBridgeSignature', () => {
  it('accepts an upper-case hex v1 signature, as Bridge sends it', () => {
    expect(verifyBridgeSignature(BODY, `v1=${hmac(BODY, SECRET).toUpperCase()}`, [SECRET])).toBe(true);
  });

  it('accepts a lower-case hex signature too', () => {
    expect(verifyBridgeSignature(BODY, `v1=${hmac(BODY, SECRET)}`, [SECRET])).toBe(true);
  });

  it('accepts the raw body as bytes', () => {
    const bytes = new TextEncoder().encode(BODY);
    expect(verifyBridgeSignature(bytes, `v1=${hmac(BODY, SECRET)}`, [SECRET])).toBe(true);
  });

  it('refuses a tampered body', () => {
    const header = `v1=${hmac(BODY, SECRET)}`;
    expect(verifyBridgeSignature(BODY.replace('529196313', '529196314'), header, [SECRET])).toBe(false);
    // Re-serialising changes the bytes even when the JSON means the same: only the raw body is signed.
    expect(verifyBridgeSignature(JSON.stringify(JSON.parse(BODY), null, 2), header, [SECRET])).toBe(false);
  });

  it('refuses a signature made with another secret', () => {
    expect(verifyBridgeSignature(BODY, `v1=${hmac(BODY, 'someone-else-entirely-000000')}`, [SECRET])).toBe(false);
  });

  it('refuses a missing or empty header, and an empty list of secrets', () => {
    expect(verifyBridgeSignature(BODY, null, [SECRET])).toBe(false);
    expect(verifyBridgeSignature(BODY, '', [SECRET])).toBe(false);
    expect(verifyBridgeSignature(BODY, `v1=${hmac(BODY, SECRET)}`, [])).toBe(false);
  });

  it('ignores entries of other schemes, even when they hold a valid HMAC', () => {
    expect(verifyBridgeSignature(BODY, `v0=${hmac(BODY, SECRET)}`, [SECRET])).toBe(false);
    expect(verifyBridgeSignature(BODY, `v2=${hmac(BODY, SECRET)},sha256=${hmac(BODY, SECRET)}`, [SECRET])).toBe(false);
  });

  it('accepts when one of two v1 entries is valid, in either order and with spaces', () => {
    const good = hmac(BODY, SECRET).toUpperCase();
    const bad = hmac(BODY, OLD_SECRET).toUpperCase();
    expect(verifyBridgeSignature(BODY, `v1=${bad}, v1=${good}`, [SECRET])).toBe(true);
    expect(verifyBridgeSignature(BODY, ` v1 = ${good} ,v1=${bad} `, [SECRET])).toBe(true);
    expect(verifyBridgeSignature(BODY, `v0=${good}, v1=${bad}`, [SECRET])).toBe(false);
  });

  it('accepts a body signed with the previous secret while two are active (rotation)', () => {
    expect(verifyBridgeSignature(BODY, `v1=${hmac(BODY, OLD_SECRET).toUpperCase()}`, [SECRET, OLD_SECRET])).toBe(true);
    expect(verifyBridgeSignature(BODY, `v1=${hmac(BODY, OLD_SECRET).toUpperCase()}`, [SECRET])).toBe(false);
  });

  it('treats garbage as no match rather than throwing', () => {
    const valid = hmac(BODY, SECRET);
    for (const header of [
      'garbage',
      'v1',
      'v1=',
      '=,=,,',
      'v1=not-hex-at-all',
      `v1=${valid.slice(0, 62)}`, // too short
      `v1=${valid}00`, // too long
      `v1=${valid.slice(0, 63)}z`, // one non-hex digit
      `v1=${Buffer.from(hmac(BODY, SECRET), 'hex').toString('base64')}`, // right bytes, wrong encoding
      `v1=${'é'.repeat(64)}`,
    ]) {
      expect(verifyBridgeSignature(BODY, header, [SECRET]), header).toBe(false);
    }
  });

  it('verifies and reads what the Bridge sandbox sends, with one or two secrets', () => {
    const user = 'ecc4eaee-0554-4b4f-8937-3c5b816617f6';
    const raw = guidanceReadyBody({ userUuid: user, companyIdentificationNumber: '529196313' }, 1779981250435);
    expect(verifyBridgeSignature(raw, signBridgeWebhook(raw, [SECRET]), [SECRET])).toBe(true);
    expect(verifyBridgeSignature(raw, signBridgeWebhook(raw, [OLD_SECRET, SECRET]), [SECRET])).toBe(true);
    expect(verifyBridgeSignature(raw, signBridgeWebhook(raw, [OLD_SECRET]), [SECRET])).toBe(false);
    expect(parseBridgeWebhook(raw)).toEqual({
      ok: true,
      event: { type: 'guidance.health.ready', timestamp: 1779981250435, bridgeUserUuid: user, companyIdentificationNumber: '529196313' },
    });
  });
});
