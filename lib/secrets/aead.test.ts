import { createHmac, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ERROR_BRAND } from '@/lib/errors/brand';
import { createKeyRing, deriveKey, deriveKeyRing, isSecretTamperedError, SecretTamperedError } from './aead';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const AAD = 'user-1:session-1';
const PASSWORD = 'Ab3!Cd4@Ef5(Gh6)Ij7K';

// Written by the implementation before key rotation existed (v1, no key id): master 32 × 0x5a,
// purpose 'legacy-test', associated data 'legacy:aad'.
const LEGACY_MASTER = Buffer.alloc(32, 0x5a);
const LEGACY_SEALED = 'v1.HUV0PpfO_jj8CDzS04I7mk3Ne23HVJz09WUC3hkJGsMiZtMGx_VgMghhSgt2frO2AWbQpV9MOWy5pBYVaa4';
const LEGACY_VALUE = 'sealed before key rotation existed';

function expectTampered(open: () => unknown, sealed?: string) {
  let caught: unknown;
  try {
    open();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(Error);
  expect(isSecretTamperedError(caught)).toBe(true);
  const shown = `${(caught as Error).message} ${inspect(caught)}`;
  expect(shown).not.toContain(PASSWORD);
  if (sealed) expect(shown).not.toContain(sealed.slice(15, 40));
}

/** The key id and base64url body of a v2 value. */
function parts(sealed: string): { id: string; bytes: Buffer } {
  const [version, id, body] = sealed.split('.') as [string, string, string];
  expect(version).toBe('v2');
  return { id, bytes: Buffer.from(body, 'base64url') };
}

/** Flips one bit of the decoded bytes at index and re-encodes, so only the ciphertext changes, not the format. */
function flipByte(sealed: string, index: number): string {
  const { id, bytes } = parts(sealed);
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return `v2.${id}.${bytes.toString('base64url')}`;
}

describe('key ring: seal and open', () => {
  const ring = createKeyRing(keyA);

  it('opens what it sealed, including non-ASCII and empty text, as current', () => {
    expect(ring.open(ring.seal(PASSWORD, AAD), AAD)).toEqual({ value: PASSWORD, stale: false });
    expect(ring.open(ring.seal('mot de passe — ✓', AAD), AAD).value).toBe('mot de passe — ✓');
    expect(ring.open(ring.seal('', AAD), AAD).value).toBe('');
  });

  it('produces a compact string naming the key that sealed it, without the plaintext', () => {
    const sealed = ring.seal(PASSWORD, AAD);
    expect(sealed).toMatch(/^v2\.[A-Za-z0-9_-]{11}\.[A-Za-z0-9_-]+$/);
    expect(parts(sealed).id).toBe(ring.currentKeyId);
    expect(sealed).not.toContain(PASSWORD);
    // 12-byte IV + 20-byte ciphertext + 16-byte tag.
    expect(parts(sealed).bytes).toHaveLength(12 + PASSWORD.length + 16);
  });

  it('uses a fresh IV each time', () => {
    const a = parts(ring.seal(PASSWORD, AAD)).bytes;
    const b = parts(ring.seal(PASSWORD, AAD)).bytes;
    expect(a.subarray(0, 12)).not.toEqual(b.subarray(0, 12));
  });

  it('refuses another key or other associated data', () => {
    const sealed = ring.seal(PASSWORD, AAD);
    expectTampered(() => createKeyRing(keyB).open(sealed, AAD), sealed);
    expectTampered(() => ring.open(sealed, 'user-2:session-1'), sealed);
    expectTampered(() => ring.open(sealed, ''), sealed);
  });

  it('refuses a change anywhere: IV, ciphertext or tag', () => {
    const sealed = ring.seal(PASSWORD, AAD);
    const length = parts(sealed).bytes.length;
    for (const index of [0, 11, 12, 12 + PASSWORD.length - 1, length - 16, length - 1]) {
      expectTampered(() => ring.open(flipByte(sealed, index), AAD));
    }
  });

  it('refuses truncated, extended and malformed input', () => {
    const sealed = ring.seal(PASSWORD, AAD);
    const { id, bytes } = parts(sealed);
    for (const bad of [
      '',
      'v1.',
      'v2.',
      `v2.${id}`,
      `v2.${id}.`,
      `v2..${bytes.toString('base64url')}`,
      `v2.${id.slice(1)}.${bytes.toString('base64url')}`,
      `v2.${id}x.${bytes.toString('base64url')}`,
      `v3.${id}.${bytes.toString('base64url')}`,
      `v1.${id}.${bytes.toString('base64url')}`,
      bytes.toString('base64url'),
      `v2.${id}.${bytes.subarray(0, bytes.length - 1).toString('base64url')}`,
      `v2.${id}.${bytes.subarray(0, 27).toString('base64url')}`,
      `v2.${id}.${Buffer.concat([bytes, Buffer.from([0])]).toString('base64url')}`,
      `${sealed}=`,
      `${sealed.slice(0, 20)}!${sealed.slice(21)}`,
      `${sealed} `,
    ]) {
      expectTampered(() => ring.open(bad, AAD));
    }
  });

  it('insists on 32-byte keys', () => {
    expect(() => createKeyRing(randomBytes(16))).toThrow(/32-byte key/);
    expect(() => createKeyRing(keyA, [randomBytes(31)])).toThrow(/32-byte key/);
  });
});

describe('key ring: rotation', () => {
  const before = createKeyRing(keyA);
  const rotated = createKeyRing(keyB, [keyA]);

  it('opens a value sealed under a previous key and says it is stale', () => {
    const sealed = before.seal(PASSWORD, AAD);
    expect(rotated.open(sealed, AAD)).toEqual({ value: PASSWORD, stale: true });
  });

  it('seals under the current key only, so the previous key is no longer needed for new values', () => {
    const sealed = rotated.seal(PASSWORD, AAD);
    expect(parts(sealed).id).toBe(createKeyRing(keyB).currentKeyId);
    expect(rotated.open(sealed, AAD)).toEqual({ value: PASSWORD, stale: false });
    expect(createKeyRing(keyB).open(sealed, AAD)).toEqual({ value: PASSWORD, stale: false });
    expectTampered(() => before.open(sealed, AAD), sealed);
  });

  it('refuses a value under a key the ring does not hold', () => {
    const sealed = before.seal(PASSWORD, AAD);
    expectTampered(() => createKeyRing(keyB).open(sealed, AAD), sealed);
    expectTampered(() => createKeyRing(keyB, [randomBytes(32)]).open(sealed, AAD), sealed);
  });

  it('refuses a value relabelled with another key id of the ring', () => {
    const { bytes } = parts(before.seal(PASSWORD, AAD));
    expectTampered(() => rotated.open(`v2.${rotated.currentKeyId}.${bytes.toString('base64url')}`, AAD));
  });

  it('takes a previous key equal to the current one as the current key', () => {
    const ring = createKeyRing(keyA, [keyA]);
    expect(ring.open(ring.seal(PASSWORD, AAD), AAD).stale).toBe(false);
  });
});

describe('key ring: values sealed before rotation existed (v1)', () => {
  const legacyKey = deriveKey(LEGACY_MASTER, 'legacy-test');

  it('opens them under any key of the ring and says they are stale', () => {
    expect(createKeyRing(legacyKey).open(LEGACY_SEALED, 'legacy:aad')).toEqual({ value: LEGACY_VALUE, stale: true });
    expect(createKeyRing(keyB, [keyA, legacyKey]).open(LEGACY_SEALED, 'legacy:aad')).toEqual({ value: LEGACY_VALUE, stale: true });
    expect(deriveKeyRing(keyB, [LEGACY_MASTER], 'legacy-test').open(LEGACY_SEALED, 'legacy:aad').value).toBe(LEGACY_VALUE);
  });

  it('refuses them without their key or with other associated data', () => {
    expectTampered(() => createKeyRing(keyB, [keyA]).open(LEGACY_SEALED, 'legacy:aad'), LEGACY_SEALED);
    expectTampered(() => createKeyRing(legacyKey).open(LEGACY_SEALED, 'other:aad'), LEGACY_SEALED);
  });

  it('re-seals them as v2 under the current key', () => {
    const ring = createKeyRing(keyB, [legacyKey]);
    const resealed = ring.seal(ring.open(LEGACY_SEALED, 'legacy:aad').value, 'legacy:aad');
    expect(createKeyRing(keyB).open(resealed, 'legacy:aad')).toEqual({ value: LEGACY_VALUE, stale: false });
  });
});

describe('key ids', () => {
  it('are a short stable fingerprint: the same for the same key, different for another', () => {
    const id = createKeyRing(keyA).currentKeyId;
    expect(id).toMatch(/^[A-Za-z0-9_-]{11}$/);
    expect(createKeyRing(Buffer.from(keyA), [keyB]).currentKeyId).toBe(id);
    expect(createKeyRing(keyB).currentKeyId).not.toBe(id);
  });

  it('are a one-way HMAC of the key, so they reveal nothing of it', () => {
    const id = createKeyRing(keyA).currentKeyId;
    expect(id).toBe(createHmac('sha256', keyA).update('guidepost key id').digest().subarray(0, 8).toString('base64url'));
    for (const encoding of ['base64', 'base64url', 'hex'] as const) {
      expect(keyA.toString(encoding)).not.toContain(id);
      expect(keyA.toString(encoding).slice(0, 11)).not.toBe(id);
    }
  });

  it('a ring shows no key when logged or serialised', () => {
    const ring = createKeyRing(keyA, [keyB]);
    const shown = `${JSON.stringify(ring)} ${inspect(ring, { depth: 10, showHidden: true })}`;
    for (const key of [keyA, keyB]) {
      for (const encoding of ['base64', 'hex'] as const) expect(shown).not.toContain(key.toString(encoding));
    }
  });
});

describe('isSecretTamperedError', () => {
  it('recognises the error from any copy of the module, by its brand', () => {
    expect(isSecretTamperedError(new SecretTamperedError())).toBe(true);
    // What another bundle's copy of the class makes: a different class with the same global brand.
    class OtherCopy extends Error {
      readonly [ERROR_BRAND] = 'SecretTamperedError';
    }
    expect(isSecretTamperedError(new OtherCopy())).toBe(true);
  });

  it('refuses look-alikes without the brand', () => {
    const named = new Error('sealed secret could not be opened');
    named.name = 'SecretTamperedError';
    for (const other of [named, new Error('x'), undefined, null, 'SecretTamperedError', { name: 'SecretTamperedError' }]) {
      expect(isSecretTamperedError(other)).toBe(false);
    }
  });
});

describe('deriveKey and deriveKeyRing', () => {
  const master = randomBytes(32);

  it('derives a stable 32-byte key per purpose, unlike the master and other purposes', () => {
    const a = deriveKey(master, 'guidance-password');
    expect(a).toHaveLength(32);
    expect(deriveKey(master, 'guidance-password')).toEqual(a);
    expect(a).not.toEqual(master);
    expect(deriveKey(master, 'provider-tokens')).not.toEqual(a);
    expect(deriveKey(randomBytes(32), 'guidance-password')).not.toEqual(a);
  });

  it('keeps purposes apart: a value sealed for one cannot be opened with another', () => {
    const sealed = deriveKeyRing(master, [], 'guidance-password').seal(PASSWORD, AAD);
    expectTampered(() => deriveKeyRing(master, [], 'provider-tokens').open(sealed, AAD), sealed);
  });

  it('opens under the previous masters after a rotation', () => {
    const sealed = deriveKeyRing(master, [], 'guidance-password').seal(PASSWORD, AAD);
    const next = randomBytes(32);
    expect(deriveKeyRing(next, [master], 'guidance-password').open(sealed, AAD)).toEqual({ value: PASSWORD, stale: true });
    expectTampered(() => deriveKeyRing(next, [], 'guidance-password').open(sealed, AAD), sealed);
  });

  it('refuses a short master key or an empty purpose', () => {
    expect(() => deriveKey(randomBytes(16), 'x')).toThrow();
    expect(() => deriveKey(master, '')).toThrow();
    expect(() => deriveKeyRing(master, [randomBytes(16)], 'x')).toThrow();
  });
});
