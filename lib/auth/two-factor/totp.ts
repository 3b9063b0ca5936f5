import { Secret, TOTP } from 'otpauth';

// Authenticator apps (RFC 6238): SHA-1, 6 digits, 30-second steps, the parameters every app reads from the QR code.
// A code is accepted one step either side of now (clock drift), and only for a step later than the last one taken,
// so a code (or an older one seen over the user's shoulder) works once.

const PERIOD_SECONDS = 30;
const ISSUER = 'Guidepost';

/** A new 160-bit secret, in base32 as authenticator apps take it typed in. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secret: string, label = '') {
  return new TOTP({ issuer: ISSUER, label, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS });
}

/** The otpauth:// address the QR code carries. */
export function totpUri(secret: string, accountName: string): string {
  return totpFor(secret, accountName).toString();
}

/** The secret grouped by four for typing it in by hand. */
export function groupedSecret(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(' ') ?? secret;
}

/** What the user typed, as a code: digits only (spaces and dashes are forgiven); undefined when it is not one. */
export function totpCodeOf(typed: string): string | undefined {
  const digits = typed.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : undefined;
}

/**
 * The time step the code belongs to, when it is valid now (±1 step) and later than `lastUsedStep`; undefined
 * otherwise. The caller records the step as used, atomically, before letting the user in.
 */
export function matchTotp(secret: string, code: string, options: { now?: number; lastUsedStep?: number | null } = {}): number | undefined {
  const now = options.now ?? Date.now();
  const delta = totpFor(secret).validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return undefined;
  const step = Math.floor(now / 1000 / PERIOD_SECONDS) + delta;
  if (options.lastUsedStep !== null && options.lastUsedStep !== undefined && step <= options.lastUsedStep) return undefined;
  return step;
}

/** The code of a moment: for tests, which play the authenticator app. */
export function totpCodeAt(secret: string, timestamp: number): string {
  return totpFor(secret).generate({ timestamp });
}
