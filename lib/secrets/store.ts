import 'server-only';
import { logger } from '@/lib/log';
import { createKeyRing, type KeyRing } from './aead';

// The contract every secret store backend keeps, and the rules they share.

interface HeldSecret {
  value: string;
  expiresAt: Date;
}

/** Bound to (portal user, guidance session): both the storage key and the AEAD associated data. */
export interface SecretId {
  userId: string;
  sessionId: string;
}

export interface SecretStore {
  /** Holds value encrypted until ttlSeconds from now (1..1800); replaces any value under the same id. */
  put(id: SecretId, value: string, ttlSeconds: number): Promise<{ expiresAt: Date }>;
  /** The value while held; undefined once expired or deleted. A tampered entry is deleted and reads as undefined (and is logged as an event without the value). */
  get(id: SecretId): Promise<HeldSecret | undefined>;
  /** Deletes at once; true if something was held. */
  delete(id: SecretId): Promise<boolean>;
}

// Bridge asks that session passwords be kept for 30 minutes at most.
const MAX_TTL_SECONDS = 1800;

/** The TTL in milliseconds; throws for anything outside 1..maxSeconds (1800 unless a store says otherwise). */
export function ttlMilliseconds(ttlSeconds: number, maxSeconds: number = MAX_TTL_SECONDS): number {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > maxSeconds) {
    throw new Error(`ttlSeconds must be between 1 and ${maxSeconds}`);
  }
  return Math.round(ttlSeconds * 1000);
}

/** `user:session`, each part URI-encoded so no id can contain the separator and two ids never collide. */
export function secretIdKey(id: SecretId): string {
  if (!id.userId || !id.sessionId) throw new Error('a secret id needs a userId and a sessionId');
  return `${encodeURIComponent(id.userId)}:${encodeURIComponent(id.sessionId)}`;
}

/** The id a storage key names, or undefined when it is not one secretIdKey wrote. */
export function parseSecretIdKey(storageKey: string): SecretId | undefined {
  const [userId, sessionId, ...rest] = storageKey.split(':');
  if (!userId || !sessionId || rest.length > 0) return undefined;
  try {
    const id = { userId: decodeURIComponent(userId), sessionId: decodeURIComponent(sessionId) };
    return secretIdKey(id) === storageKey ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The associated data a value is sealed with: a ciphertext moved under another id fails to open. */
export function secretIdAad(id: SecretId): string {
  return `guidepost.secret-id.v1:${secretIdKey(id)}`;
}

/** A backend's keys: one key, or a ring that seals under its current key and opens under any (key rotation). */
export type StoreKeys = { key: Buffer; keys?: undefined } | { keys: KeyRing; key?: undefined };

export function storeKeyRing(options: StoreKeys): KeyRing {
  return options.keys ?? createKeyRing(options.key);
}

export interface TamperedEvent {
  backend: 'memory' | 'redis';
  userId: string;
  sessionId: string;
}

/** Called when a held entry fails to open; receives ids only, never the value or the sealed text. */
export type OnTampered = (event: TamperedEvent) => void;

export const logTampered: OnTampered = (event) => {
  logger().warn({ event: 'secret_store.tampered', ...event }, 'held secret failed authentication and was deleted');
};
