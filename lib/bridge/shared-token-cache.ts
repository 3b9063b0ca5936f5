import 'server-only';
import { createHash } from 'node:crypto';
import { BRIDGE_ACCESS_TOKEN_TTL_MS } from '@guidepost/provider-contracts/bridge';
import type Redis from 'ioredis';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/log';
import { redisClient } from '@/lib/redis';
import { deriveKeyRing, type KeyRing } from '@/lib/secrets/aead';
import { createRedisSecretStore } from '@/lib/secrets/redis-store';
import { memoryUserTokenCache, TOKEN_EARLY_EXPIRY_MS, type UserTokenCache } from './token-cache';

// Bridge user tokens shared by every instance through Redis: without it each instance would ask Bridge
// for its own token per user (Bridge allows 10 authentications per user per minute). Sealed like the
// guidance passwords, under a key of their own, bound to the user (a sealed token moved to another
// user's entry does not open), and kept by Redis only while usable (Redis owns the expiry).

const PURPOSE = 'bridge-user-token';
export const SHARED_TOKEN_PREFIX = `guidepost:${PURPOSE}:`;
// The store's id is (user, slot): one slot per Bridge user.
const SLOT = 'access-token';
// How long one instance may take to get a token before another asks too (Bridge answers in well under this).
const ISSUE_CLAIM_MS = 5_000;

export interface RedisTokenCacheOptions {
  redis: Redis;
  keys: KeyRing;
  prefix?: string;
  now?: () => number;
}

/**
 * A token cache in Redis. A cache, not a source of truth: when Redis cannot be read or written the call
 * goes on with a token asked of Bridge (logged without the token), rather than failing the user's request.
 */
export function createRedisUserTokenCache(options: RedisTokenCacheOptions): UserTokenCache {
  const { now = Date.now } = options;
  const store = createRedisSecretStore({
    redis: options.redis,
    keys: options.keys,
    prefix: options.prefix ?? SHARED_TOKEN_PREFIX,
    maxTtlSeconds: Math.ceil(BRIDGE_ACCESS_TOKEN_TTL_MS / 1000),
  });
  const id = (bridgeUserUuid: string) => ({ userId: bridgeUserUuid.toLowerCase(), sessionId: SLOT });
  // The claim to ask Bridge for a user's token: named by a digest of the Bridge user, holding nothing.
  const claimKey = (bridgeUserUuid: string) =>
    `${options.prefix ?? SHARED_TOKEN_PREFIX}issuing:${createHash('sha256').update(bridgeUserUuid.toLowerCase()).digest('hex')}`;
  const unavailable = (operation: string) => (error: unknown) => {
    logger().warn({ event: 'bridge.token_cache_unavailable', operation, err: error }, 'shared Bridge token cache unavailable; asking Bridge instead');
    return undefined;
  };

  return {
    async get(bridgeUserUuid) {
      const held = await store.get(id(bridgeUserUuid)).catch(unavailable('get'));
      return held?.value;
    },
    async put(bridgeUserUuid, token, expiresAt) {
      const usableForMs = new Date(expiresAt).getTime() - TOKEN_EARLY_EXPIRY_MS - now();
      // A token already inside the margin (or with no readable expiry) is not kept, as in memory.
      if (!(usableForMs >= 1000)) {
        await store.delete(id(bridgeUserUuid)).catch(unavailable('delete'));
        return;
      }
      const ttlSeconds = Math.min(Math.floor(usableForMs / 1000), Math.ceil(BRIDGE_ACCESS_TOKEN_TTL_MS / 1000));
      await store.put(id(bridgeUserUuid), token, ttlSeconds).catch(unavailable('put'));
      // The token is here: the claim of whoever asked for it has done its work.
      await options.redis.del(claimKey(bridgeUserUuid)).catch(unavailable('release'));
    },
    async forget(bridgeUserUuid) {
      await store.delete(id(bridgeUserUuid)).catch(unavailable('delete'));
    },
    async claimIssue(bridgeUserUuid) {
      // Set once (NX), gone by itself (PX) if its holder dies before putting the token.
      const claimed = await options.redis.set(claimKey(bridgeUserUuid), '1', 'PX', ISSUE_CLAIM_MS, 'NX').catch(unavailable('claim'));
      // Redis unreachable: ask Bridge rather than wait on a claim nobody can see.
      return claimed === undefined || claimed === 'OK';
    },
  };
}

const holder = globalThis as unknown as { __guidepostBridgeTokenCache?: { key: string; cache: UserTokenCache } };

/** The process-wide token cache: shared through Redis when REDIS_URL is set, else this process's memory. */
export function sharedUserTokenCache(): UserTokenCache {
  const env = getEnv();
  if (!env.redisUrl) return memoryUserTokenCache;
  // Hashed: the key would otherwise keep a copy of the encryption keys.
  const key = createHash('sha256')
    .update(JSON.stringify([env.redisUrl, env.encryptionKey.toString('base64'), env.previousEncryptionKeys.map((k) => k.toString('base64'))]))
    .digest('hex');
  // Rebuilt only when the configuration changes, which happens in tests, never in a running server.
  if (holder.__guidepostBridgeTokenCache?.key !== key) {
    holder.__guidepostBridgeTokenCache = {
      key,
      cache: createRedisUserTokenCache({ redis: redisClient(), keys: deriveKeyRing(env.encryptionKey, env.previousEncryptionKeys, PURPOSE) }),
    };
  }
  return holder.__guidepostBridgeTokenCache.cache;
}
