import 'server-only';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { ERROR_BRAND, hasErrorBrand } from '@/lib/errors/brand';

// AES-256-GCM with a fresh random 96-bit IV per seal. The associated data binds a ciphertext to what it
// belongs to (e.g. a user and a session), so a sealed value copied elsewhere cannot be opened.
// Keys rotate through a ring: a new seal is made under the current key and names it by a fingerprint,
// so opening goes straight to the right key. Values sealed before the ring existed (`v1.`, no key id)
// are tried against each key of the ring.

const V1 = 'v1.';
const V2 = 'v2.';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_BYTES = 8;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const KEY_ID = /^[A-Za-z0-9_-]{11}$/;

/** A sealed value failed authentication or is malformed. Never carries the secret or the sealed text. */
export class SecretTamperedError extends Error {
  readonly [ERROR_BRAND] = 'SecretTamperedError';
  constructor() {
    super('sealed secret could not be opened (tampered, unknown key, wrong binding or malformed)');
    this.name = 'SecretTamperedError';
  }
}

/** True for a SecretTamperedError from any copy of this module (the production build bundles lib/ several times). */
export function isSecretTamperedError(error: unknown): error is SecretTamperedError {
  return hasErrorBrand(error, 'SecretTamperedError');
}

export interface Opened {
  value: string;
  /** Sealed under an older key of the ring, or in the older `v1.` format: seal it again. */
  stale: boolean;
}

/** The keys of one purpose: seals under the current key, opens under any. Holds no key where a log could see it. */
export interface KeyRing {
  /** The fingerprint of the current key written into every new seal; not secret. */
  readonly currentKeyId: string;
  /** `v2.<key id>.` + base64url(iv ‖ ciphertext ‖ tag), under the current key and bound to aad. */
  seal(plaintext: string, aad: string): string;
  /** Opens what any key of the ring sealed with this aad; throws SecretTamperedError otherwise. */
  open(sealed: string, aad: string): Opened;
  /**
   * True when `sealed` names a key this ring does not hold: written by an instance already on a newer
   * key (a rolling restart), not tampered with. Such a value must be left alone, not deleted.
   */
  sealedByUnknownKey(sealed: string): boolean;
}

function assertKey(key: Buffer): void {
  // A wrong-sized key is a programming error, not tampering: fail loudly and differently.
  if (key.length !== KEY_BYTES) throw new Error(`AES-256-GCM needs a ${KEY_BYTES}-byte key`);
}

// A one-way fingerprint: names the key in sealed values without telling anything about it.
function keyIdOf(key: Buffer): string {
  return createHmac('sha256', key).update('guidepost key id').digest().subarray(0, KEY_ID_BYTES).toString('base64url');
}

function encrypt(key: Buffer, plaintext: string, aad: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url');
}

/** The plaintext, or undefined when the key, the aad or the bytes are not the ones sealed. */
function decrypt(key: Buffer, bytes: Buffer, aad: string): string | undefined {
  const iv = bytes.subarray(0, IV_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const ciphertext = bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

function decodeBody(body: string): Buffer {
  // Buffer.from silently skips bad characters; insist on the exact encoding we wrote.
  if (!BASE64URL.test(body)) throw new SecretTamperedError();
  const bytes = Buffer.from(body, 'base64url');
  if (bytes.toString('base64url') !== body || bytes.length < IV_BYTES + TAG_BYTES) throw new SecretTamperedError();
  return bytes;
}

/** A ring of already derived 32-byte keys: `current` seals, every key opens. */
export function createKeyRing(current: Buffer, previous: readonly Buffer[] = []): KeyRing {
  const byId = new Map<string, Buffer>();
  for (const key of [current, ...previous]) {
    assertKey(key);
    const id = keyIdOf(key);
    const known = byId.get(id);
    if (known && !known.equals(key)) throw new Error('two keys of the ring have the same key id');
    byId.set(id, Buffer.from(key));
  }
  const currentKeyId = keyIdOf(current);
  const currentKey = byId.get(currentKeyId)!;
  // Current first: a legacy value is most likely under it.
  const inOrder = [...byId.values()];

  return {
    currentKeyId,
    seal: (plaintext, aad) => `${V2}${currentKeyId}.${encrypt(currentKey, plaintext, aad)}`,
    sealedByUnknownKey(sealed) {
      if (!sealed.startsWith(V2)) return false;
      const dot = sealed.indexOf('.', V2.length);
      const id = sealed.slice(V2.length, dot);
      return dot > 0 && KEY_ID.test(id) && !byId.has(id);
    },
    open(sealed, aad) {
      if (sealed.startsWith(V2)) {
        const dot = sealed.indexOf('.', V2.length);
        const id = sealed.slice(V2.length, dot);
        if (dot < 0 || !KEY_ID.test(id)) throw new SecretTamperedError();
        const key = byId.get(id);
        if (!key) throw new SecretTamperedError();
        const value = decrypt(key, decodeBody(sealed.slice(dot + 1)), aad);
        if (value === undefined) throw new SecretTamperedError();
        return { value, stale: id !== currentKeyId };
      }
      if (sealed.startsWith(V1)) {
        const bytes = decodeBody(sealed.slice(V1.length));
        for (const key of inOrder) {
          const value = decrypt(key, bytes, aad);
          if (value !== undefined) return { value, stale: true };
        }
      }
      throw new SecretTamperedError();
    },
  };
}

/** The ring of one purpose from master keys (ENCRYPTION_KEY and ENCRYPTION_KEYS_PREVIOUS). */
export function deriveKeyRing(current: Buffer, previous: readonly Buffer[], purpose: string): KeyRing {
  return createKeyRing(
    deriveKey(current, purpose),
    previous.map((master) => deriveKey(master, purpose)),
  );
}

/** A 32-byte key for one purpose, derived with HKDF-SHA256, so one master key never encrypts two kinds of data. */
export function deriveKey(master: Buffer, purpose: string): Buffer {
  if (master.length < KEY_BYTES) throw new Error(`the master key must be at least ${KEY_BYTES} bytes`);
  if (purpose.length === 0) throw new Error('a derived key needs a purpose');
  // No salt: the master is already uniformly random; the purpose goes in `info` as RFC 5869 intends.
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `guidepost/${purpose}`, KEY_BYTES));
}
