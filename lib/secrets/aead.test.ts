import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKey, openSecret, sealSecret, SecretTamperedError } from './aead';

const key = randomBytes(32);
const AAD = 'user-1:session-1';
const PASSWORD = 'Ab3!Cd4@Ef5(Gh6)Ij7K';

function expectTampered(open: () => string) {
  let caught: unknown;
  try {
    open();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(SecretTamperedError);
  expect((caught as Error).message).not.toContain(PASSWORD);
}

/** Flips one bit of the decoded bytes at index and re-encodes, so only the ciphertext changes, not the format. */
function flipByte(sealed: string, index: number): string {
  const bytes = Buffer.from(sealed.slice(3), 'base64url');
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return `v1.${bytes.toString('base64url')}`;
}

describe('sealSecret / openSecret', () => {
  it('opens what it sealed, including non-ASCII text', () => {
    expect(openSecret(key, sealSecret(key, PASSWORD, AAD), AAD)).toBe(PASSWORD);
    expect(openSecret(key, sealSecret(key, 'mot de passe — ✓', AAD), AAD)).toBe('mot de passe — ✓');
    expect(openSecret(key, sealSecret(key, '', AAD), AAD)).toBe('');
  });

  it('produces a compact versioned string that does not contain the plaintext', () => {
    const sealed = sealSecret(key, PASSWORD, AAD);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(PASSWORD);
    // 12-byte IV + 20-byte ciphertext + 16-byte tag.
    expect(Buffer.from(sealed.slice(3), 'base64url')).toHaveLength(12 + PASSWORD.length + 16);
  });

  it('uses a fresh IV each time', () => {
    const a = sealSecret(key, PASSWORD, AAD);
    const b = sealSecret(key, PASSWORD, AAD);
    expect(a).not.toBe(b);
    expect(Buffer.from(a.slice(3), 'base64url').subarray(0, 12)).not.toEqual(Buffer.from(b.slice(3), 'base64url').subarray(0, 12));
  });

  it('refuses another key or other associated data', () => {
    const sealed = sealSecret(key, PASSWORD, AAD);
    expectTampered(() => openSecret(randomBytes(32), sealed, AAD));
    expectTampered(() => openSecret(key, sealed, 'user-2:session-1'));
    expectTampered(() => openSecret(key, sealed, ''));
  });

  it('refuses a change anywhere: IV, ciphertext or tag', () => {
    const sealed = sealSecret(key, PASSWORD, AAD);
    const length = Buffer.from(sealed.slice(3), 'base64url').length;
    for (const index of [0, 11, 12, 12 + PASSWORD.length - 1, length - 16, length - 1]) {
      expectTampered(() => openSecret(key, flipByte(sealed, index), AAD));
    }
  });

  it('refuses truncated, extended and malformed input', () => {
    const sealed = sealSecret(key, PASSWORD, AAD);
    const bytes = Buffer.from(sealed.slice(3), 'base64url');
    for (const bad of [
      '',
      'v1.',
      sealed.slice(3),
      `v2.${sealed.slice(3)}`,
      `v1.${bytes.subarray(0, bytes.length - 1).toString('base64url')}`,
      `v1.${bytes.subarray(0, 27).toString('base64url')}`,
      `v1.${Buffer.concat([bytes, Buffer.from([0])]).toString('base64url')}`,
      `${sealed}=`,
      `${sealed.slice(0, 10)}!${sealed.slice(11)}`,
      `${sealed} `,
    ]) {
      expectTampered(() => openSecret(key, bad, AAD));
    }
  });

  it('insists on a 32-byte key', () => {
    expect(() => sealSecret(randomBytes(16), PASSWORD, AAD)).toThrow(/32-byte key/);
    expect(() => openSecret(randomBytes(16), sealSecret(key, PASSWORD, AAD), AAD)).toThrow(/32-byte key/);
  });
});

describe('deriveKey', () => {
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
    const sealed = sealSecret(deriveKey(master, 'guidance-password'), PASSWORD, AAD);
    expectTampered(() => openSecret(deriveKey(master, 'provider-tokens'), sealed, AAD));
  });

  it('refuses a short master key or an empty purpose', () => {
    expect(() => deriveKey(randomBytes(16), 'x')).toThrow();
    expect(() => deriveKey(master, '')).toThrow();
  });
});
