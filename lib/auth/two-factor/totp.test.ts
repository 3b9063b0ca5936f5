import { describe, expect, it } from 'vitest';
import { groupedSecret, matchTotp, newTotpSecret, totpCodeAt, totpCodeOf, totpUri } from './totp';
import { hashRecoveryCode, newRecoveryCodes, recoveryCodeOf } from './recovery-codes';

// RFC 6238 appendix B: the SHA-1 secret "12345678901234567890", in base32.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('authenticator app codes', () => {
  it('gives the RFC 6238 test vectors (6 digits of them)', () => {
    expect(totpCodeAt(RFC_SECRET, 59_000)).toBe('287082');
    expect(totpCodeAt(RFC_SECRET, 1_111_111_109_000)).toBe('081804');
    expect(totpCodeAt(RFC_SECRET, 1_234_567_890_000)).toBe('005924');
  });

  it('accepts the code of now and of one step either side, not two', () => {
    const secret = newTotpSecret();
    const now = 1_800_000_000_000;
    const step = Math.floor(now / 30_000);
    expect(matchTotp(secret, totpCodeAt(secret, now), { now })).toBe(step);
    expect(matchTotp(secret, totpCodeAt(secret, now - 30_000), { now })).toBe(step - 1);
    expect(matchTotp(secret, totpCodeAt(secret, now + 30_000), { now })).toBe(step + 1);
    expect(matchTotp(secret, totpCodeAt(secret, now - 60_000), { now })).toBeUndefined();
    expect(matchTotp(secret, totpCodeAt(secret, now + 60_000), { now })).toBeUndefined();
  });

  it('refuses a code of a step already used, or of an earlier one', () => {
    const secret = newTotpSecret();
    const now = 1_800_000_000_000;
    const code = totpCodeAt(secret, now);
    const step = matchTotp(secret, code, { now })!;
    expect(matchTotp(secret, code, { now, lastUsedStep: step })).toBeUndefined();
    expect(matchTotp(secret, totpCodeAt(secret, now - 30_000), { now, lastUsedStep: step })).toBeUndefined();
    expect(matchTotp(secret, totpCodeAt(secret, now + 30_000), { now, lastUsedStep: step })).toBe(step + 1);
  });

  it('makes 160-bit secrets, an otpauth address for the QR code, and reads what people type', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = new URL(totpUri(secret, 'anna@example.fr'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Guidepost');
    expect(decodeURIComponent(uri.pathname)).toContain('anna@example.fr');
    expect(groupedSecret('ABCDEFGHIJ')).toBe('ABCD EFGH IJ');
    expect(totpCodeOf(' 123 456 ')).toBe('123456');
    expect(totpCodeOf('123-456')).toBe('123456');
    expect(totpCodeOf('12345')).toBeUndefined();
    expect(totpCodeOf('abcdef')).toBeUndefined();
  });
});

describe('recovery codes', () => {
  it('are ten distinct grouped codes without look-alike symbols', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
  });

  it('are read back in any case and spacing, and hashed per user', () => {
    const [code] = newRecoveryCodes(1) as [string];
    const plain = code.replace(/-/g, '');
    expect(recoveryCodeOf(code.toLowerCase())).toBe(plain);
    expect(recoveryCodeOf(code.replace(/-/g, ' '))).toBe(plain);
    expect(recoveryCodeOf('ABCD-EFGH-IJKL')).toBeUndefined(); // I and L are not in the alphabet
    expect(recoveryCodeOf('123456')).toBeUndefined();
    const a = hashRecoveryCode('user-a', plain);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toContain(plain);
    expect(hashRecoveryCode('user-b', plain)).not.toBe(a);
  });
});
