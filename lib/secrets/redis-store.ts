import 'server-only';
import type Redis from 'ioredis';
import { logger } from '@/lib/log';
import { isSecretTamperedError, type Opened } from './aead';
import { rememberSecret } from './known';
import type { SealedSource, SealedValue } from './rotation';
import {
  logTampered,
  parseSecretIdKey,
  secretIdAad,
  secretIdKey,
  storeKeyRing,
  ttlMilliseconds,
  type OnTampered,
  type SecretId,
  type SecretStore,
  type StoreKeys,
} from './store';

// Secrets shared by several app instances. Redis holds only the sealed string and owns the expiry (PX),
// so no instance's clock decides when a password stops existing. Entries outlive a restart, so after a
// key rotation they are opened with the previous keys of the ring and sealed again under the current one.

export type RedisSecretStoreOptions = StoreKeys & {
  redis: Redis;
  /** Namespace for this store's keys, e.g. `guidepost:guidance-password:`. */
  prefix?: string;
  /** The longest TTL a put may ask for: 1800 s (Bridge's rule for session passwords) unless this store holds something else. */
  maxTtlSeconds?: number;
  onTampered?: OnTampered;
};

const DEFAULT_PREFIX = 'guidepost:secret:';

// Deletes only the value we failed to open: a fresh put from another instance in between survives.
const DELETE_IF_UNCHANGED = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

// Replaces a value sealed under an older key only if nobody wrote it since, keeping what is left of its TTL.
const RESEAL_IF_UNCHANGED = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
if ttl <= 0 then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl)
return 1`;

function resealIfUnchanged(redis: Redis, key: string, from: string, to: string): Promise<boolean> {
  return redis.eval(RESEAL_IF_UNCHANGED, 1, key, from, to).then((replaced) => replaced === 1);
}

export function createRedisSecretStore(options: RedisSecretStoreOptions): SecretStore {
  const { redis, prefix = DEFAULT_PREFIX, maxTtlSeconds, onTampered = logTampered } = options;
  const keys = storeKeyRing(options);
  const redisKey = (id: SecretId) => prefix + secretIdKey(id);

  async function discard(id: SecretId, sealed: string): Promise<undefined> {
    await redis.eval(DELETE_IF_UNCHANGED, 1, redisKey(id), sealed);
    onTampered({ backend: 'redis', userId: id.userId, sessionId: id.sessionId });
    return undefined;
  }

  return {
    async put(id, value, ttlSeconds) {
      const ttlMs = ttlMilliseconds(ttlSeconds, maxTtlSeconds);
      // Known to the logger while held, whichever way it is logged.
      rememberSecret(value, ttlMs);
      const sealed = keys.seal(value, secretIdAad(id));
      const expiresAtMs = Date.now() + ttlMs;
      await redis.set(redisKey(id), sealed, 'PX', ttlMs);
      return { expiresAt: new Date(expiresAtMs) };
    },

    async get(id) {
      const k = redisKey(id);
      // One atomic round trip: the value and how long Redis will still keep it.
      const replies = await redis.multi().get(k).pttl(k).exec();
      const [getReply, pttlReply] = replies ?? [];
      if (getReply?.[0]) throw getReply[0];
      if (pttlReply?.[0]) throw pttlReply[0];
      const sealed = getReply?.[1];
      const pttl = pttlReply?.[1];
      if (typeof sealed !== 'string' || typeof pttl !== 'number') return undefined;
      // -1: a key without expiry was not written by us and must not be held forever.
      if (pttl === -1) return discard(id, sealed);
      if (pttl <= 0) return undefined;
      let opened: Opened;
      try {
        opened = keys.open(sealed, secretIdAad(id));
      } catch (error) {
        if (!isSecretTamperedError(error)) throw error;
        // Sealed by an instance that already has a newer key: another instance can read it, so keep it.
        if (keys.sealedByUnknownKey(sealed)) {
          logger().warn(
            { event: 'secret_store.unknown_key', backend: 'redis', userId: id.userId, sessionId: id.sessionId },
            'held secret sealed under a key this instance does not have (rolling key change?); left in place',
          );
          return undefined;
        }
        return discard(id, sealed);
      }
      rememberSecret(opened.value, pttl);
      if (opened.stale) {
        // Best effort: the value was read, and `npm run rotate-keys` re-seals whatever is left.
        await resealIfUnchanged(redis, k, sealed, keys.seal(opened.value, secretIdAad(id))).catch(() => false);
      }
      return { value: opened.value, expiresAt: new Date(Date.now() + pttl) };
    },

    async delete(id) {
      return (await redis.del(redisKey(id))) > 0;
    },
  };
}

/** The entries of one store (by prefix), for re-sealing them after a key rotation. */
export function redisSealedSource(options: { redis: Redis; prefix: string; name: string }): SealedSource {
  const { redis, prefix, name } = options;
  // SCAN may return an entry more than once.
  const seen = new Set<string>();
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  return {
    name,
    async next(cursor, limit) {
      const [nextCursor, found] = await redis.scan(cursor ?? '0', 'MATCH', pattern, 'COUNT', limit);
      const fresh = found.filter((key) => !seen.has(key));
      for (const key of fresh) seen.add(key);
      const sealed = fresh.length > 0 ? await redis.mget(...fresh) : [];
      const values: SealedValue[] = [];
      fresh.forEach((key, index) => {
        const id = parseSecretIdKey(key.slice(prefix.length));
        const value = sealed[index];
        // Gone since the SCAN (used or expired), or not an entry this store wrote.
        if (typeof value === 'string' && id) values.push({ id: secretIdKey(id), sealed: value, aad: secretIdAad(id) });
      });
      return { values, cursor: nextCursor === '0' ? undefined : nextCursor };
    },
    replace: (value, resealed) => resealIfUnchanged(redis, prefix + value.id, value.sealed, resealed),
  };
}
