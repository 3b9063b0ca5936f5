import 'server-only';
import { isSecretTamperedError } from './aead';
import { rememberSecret } from './known';
import {
  logTampered,
  secretIdAad,
  secretIdKey,
  storeKeyRing,
  ttlMilliseconds,
  type OnTampered,
  type SecretId,
  type SecretStore,
  type StoreKeys,
} from './store';

// Secrets held in this process only, still encrypted, so a heap dump or a stray log of the map shows ciphertext.

export interface MemoryEntry {
  sealed: string;
  expiresAtMs: number;
}

// The same key ring as Redis for consistency, although nothing here outlives the process that sealed it.
export type MemorySecretStoreOptions = StoreKeys & {
  /** Milliseconds since the epoch; tests pass a fake clock. */
  now?: () => number;
  /** How often expired entries are dropped even if nobody reads them again; 0 turns the sweep off. */
  sweepIntervalMs?: number;
  /** The backing map; tests pass their own to inspect and tamper with what is held. */
  entries?: Map<string, MemoryEntry>;
  onTampered?: OnTampered;
};

export interface MemorySecretStore extends SecretStore {
  /** Entries in memory, including expired ones the sweep has not reached yet. */
  size(): number;
  /** Drops expired entries now; returns how many. */
  sweep(): number;
  /** Stops the sweep timer. */
  close(): void;
}

const DEFAULT_SWEEP_INTERVAL_MS = 60_000;

export function createMemorySecretStore(options: MemorySecretStoreOptions): MemorySecretStore {
  const { now = Date.now, onTampered = logTampered } = options;
  const keys = storeKeyRing(options);
  const entries = options.entries ?? new Map<string, MemoryEntry>();

  function sweep(): number {
    const at = now();
    let dropped = 0;
    for (const [storageKey, entry] of entries) {
      if (entry.expiresAtMs <= at) {
        entries.delete(storageKey);
        dropped += 1;
      }
    }
    return dropped;
  }

  const interval = options.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  // unref(): the sweep alone must never keep a server, test or script process alive.
  const timer = interval > 0 ? setInterval(sweep, interval).unref() : undefined;

  return {
    async put(id: SecretId, value: string, ttlSeconds: number) {
      const expiresAtMs = now() + ttlMilliseconds(ttlSeconds);
      // Known to the logger while held, whichever way it is logged.
      rememberSecret(value, ttlMilliseconds(ttlSeconds));
      entries.set(secretIdKey(id), { sealed: keys.seal(value, secretIdAad(id)), expiresAtMs });
      return { expiresAt: new Date(expiresAtMs) };
    },

    async get(id: SecretId) {
      const storageKey = secretIdKey(id);
      const entry = entries.get(storageKey);
      if (!entry) return undefined;
      if (entry.expiresAtMs <= now()) {
        entries.delete(storageKey);
        return undefined;
      }
      try {
        const { value } = keys.open(entry.sealed, secretIdAad(id));
        rememberSecret(value, entry.expiresAtMs - now());
        return { value, expiresAt: new Date(entry.expiresAtMs) };
      } catch (error) {
        if (!isSecretTamperedError(error)) throw error;
        entries.delete(storageKey);
        onTampered({ backend: 'memory', userId: id.userId, sessionId: id.sessionId });
        return undefined;
      }
    },

    async delete(id: SecretId) {
      const storageKey = secretIdKey(id);
      const entry = entries.get(storageKey);
      entries.delete(storageKey);
      // An expired entry the sweep has not reached was no longer held.
      return entry !== undefined && entry.expiresAtMs > now();
    },

    size: () => entries.size,
    sweep,
    close: () => clearInterval(timer),
  };
}
