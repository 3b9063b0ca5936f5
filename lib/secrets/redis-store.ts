import 'server-only';
import type Redis from 'ioredis';
import { openSecret, sealSecret, SecretTamperedError } from './aead';
import {
  logTampered,
  secretIdAad,
  secretIdKey,
  ttlMilliseconds,
  type OnTampered,
  type SecretId,
  type SecretStore,
} from './store';

// Secrets shared by several app instances. Redis holds only the sealed string and owns the expiry (PX),
// so no instance's clock decides when a password stops existing.

export interface RedisSecretStoreOptions {
  redis: Redis;
  key: Buffer;
  /** Namespace for this store's keys, e.g. `guidepost:guidance-password:`. */
  prefix?: string;
  onTampered?: OnTampered;
}

const DEFAULT_PREFIX = 'guidepost:secret:';

// Deletes only the value we failed to open: a fresh put from another instance in between survives.
const DELETE_IF_UNCHANGED = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export function createRedisSecretStore(options: RedisSecretStoreOptions): SecretStore {
  const { redis, key, prefix = DEFAULT_PREFIX, onTampered = logTampered } = options;
  const redisKey = (id: SecretId) => prefix + secretIdKey(id);

  async function discard(id: SecretId, sealed: string): Promise<undefined> {
    await redis.eval(DELETE_IF_UNCHANGED, 1, redisKey(id), sealed);
    onTampered({ backend: 'redis', userId: id.userId, sessionId: id.sessionId });
    return undefined;
  }

  return {
    async put(id, value, ttlSeconds) {
      const ttlMs = ttlMilliseconds(ttlSeconds);
      const sealed = sealSecret(key, value, secretIdAad(id));
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
      try {
        return { value: openSecret(key, sealed, secretIdAad(id)), expiresAt: new Date(Date.now() + pttl) };
      } catch (error) {
        if (!(error instanceof SecretTamperedError)) throw error;
        return discard(id, sealed);
      }
    },

    async delete(id) {
      return (await redis.del(redisKey(id))) > 0;
    },
  };
}
