import 'server-only';
import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { getEnv, type AppConfig } from '@/lib/env';
import { redisClient } from '@/lib/redis';
import { createKeyRing, deriveKeyRing, type KeyRing } from './aead';
import { createMemorySecretStore } from './memory-store';
import { createRedisSecretStore, redisSealedSource } from './redis-store';
import { resealSource, type ResealTally } from './rotation';
import type { SecretStore } from './store';

export type { SecretStore } from './store';

const PURPOSE = 'guidance-password';
const PREFIX = `guidepost:${PURPOSE}:`;
const holder = globalThis as unknown as { __guidepostGuidancePasswordStore?: SecretStore };

/** ENCRYPTION_KEY seals, ENCRYPTION_KEYS_PREVIOUS still open (key rotation). */
function guidancePasswordKeyRing(env: AppConfig): KeyRing {
  return deriveKeyRing(env.encryptionKey, env.previousEncryptionKeys, PURPOSE);
}

function createGuidancePasswordStore(): SecretStore {
  const env = getEnv();
  // Several app instances share passwords through Redis, so they must share the keys too.
  if (env.redisUrl) return createRedisSecretStore({ redis: redisClient(), keys: guidancePasswordKeyRing(env), prefix: PREFIX });
  // In memory nothing outlives the process, so a generated (on-disk, development) key buys nothing over a random one.
  const keys = env.generatedSecrets ? createKeyRing(randomBytes(32)) : guidancePasswordKeyRing(env);
  return createMemorySecretStore({ keys });
}

/** The one guidance password store of this process, anchored on globalThis so every route shares it. */
export function guidancePasswordStore(): SecretStore {
  holder.__guidepostGuidancePasswordStore ??= createGuidancePasswordStore();
  return holder.__guidepostGuidancePasswordStore;
}
/**
 * Seals every guidance password held in Redis again under the current key, keeping its expiry
 * (`npm run rotate-keys`). Passwords held in memory die with their process and need no rotation.
 */
export function resealGuidancePasswords(redis: Redis, env: AppConfig = getEnv(), options: { prefix?: string } = {}): Promise<ResealTally> {
  const prefix = options.prefix ?? PREFIX;
  return resealSource(redisSealedSource({ redis, prefix, name: `guidance passwords (Redis ${prefix}*)` }), guidancePasswordKeyRing(env));
}
