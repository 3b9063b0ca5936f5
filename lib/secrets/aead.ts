import 'server-only';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

// AES-256-GCM with a fresh random 96-bit IV per seal. The associated data binds a ciphertext to what it
// belongs to (e.g. a user and a session), so a sealed value copied elsewhere cannot be opened.

const VERSION = 'v1.';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** A sealed value failed authentication or is malformed. Never carries the secret or the sealed text. */
export class SecretTamperedError extends Error {
  constructor() {
    super('sealed secret could not be opened (tampered, wrong key, wrong binding or malformed)');
    this.name = 'SecretTamperedError';
  }
}

function assertKey(key: Buffer): void {
  // A wrong-sized key is a programming error, not tampering: fail loudly and differently.
  if (key.length !== KEY_BYTES) throw new Error(`AES-256-GCM needs a ${KEY_BYTES}-byte key`);
}

/** Encrypts plaintext bound to aad; returns `v1.` + base64url(iv ‖ ciphertext ‖ tag). */
export function sealSecret(key: Buffer, plaintext: string, aad: string): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return VERSION + Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url');
}

/** Decrypts what sealSecret produced with the same key and aad; throws SecretTamperedError otherwise. */
export function openSecret(key: Buffer, sealed: string, aad: string): string {
  assertKey(key);
  if (!sealed.startsWith(VERSION)) throw new SecretTamperedError();
  const body = sealed.slice(VERSION.length);
  // Buffer.from silently skips bad characters; insist on the exact encoding we wrote.
  if (!BASE64URL.test(body)) throw new SecretTamperedError();
  const bytes = Buffer.from(body, 'base64url');
  if (bytes.toString('base64url') !== body || bytes.length < IV_BYTES + TAG_BYTES) throw new SecretTamperedError();
  const iv = bytes.subarray(0, IV_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const ciphertext = bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    // Node's own message says nothing secret, but one error type keeps callers simple.
    throw new SecretTamperedError();
  }
}

/** A 32-byte key for one purpose, derived with HKDF-SHA256, so one master key never encrypts two kinds of data. */
export function deriveKey(master: Buffer, purpose: string): Buffer {
  if (master.length < KEY_BYTES) throw new Error(`the master key must be at least ${KEY_BYTES} bytes`);
  if (purpose.length === 0) throw new Error('a derived key needs a purpose');
  // No salt: the master is already uniformly random; the purpose goes in `info` as RFC 5869 intends.
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `guidepost/${purpose}`, KEY_BYTES));
}
