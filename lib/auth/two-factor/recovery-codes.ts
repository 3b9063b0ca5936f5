import { createHash, randomInt } from 'node:crypto';

// Ten single-use recovery codes, for a lost phone or authenticator. Each is 12 symbols from an alphabet without look-
// alikes (30 symbols: about 59 bits), shown grouped (ABCD-EFGH-JKMN) once; only a SHA-256 of the code, salted with the
// user id, is kept. Typed back in any case, with or without the dashes or spaces.

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 12;

export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const raw = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  });
}

/** What the user typed, as a recovery code (upper case, no separators); undefined when it cannot be one. */
export function recoveryCodeOf(typed: string): string | undefined {
  const code = typed.replace(/[\s-]/g, '').toUpperCase();
  return code.length === LENGTH && [...code].every((symbol) => ALPHABET.includes(symbol)) ? code : undefined;
}

/** The stored form of a code (as recoveryCodeOf gives it): bound to its user, so equal codes of two users differ. */
export function hashRecoveryCode(userId: string, code: string): string {
  return createHash('sha256').update(`${userId}:${code}`).digest('hex');
}
