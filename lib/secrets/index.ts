import 'server-only';
import { randomBytes } from 'node:crypto';
import { getEnv } from '@/lib/env';
import { redisClient } from '@/lib/redis';
import { deriveKey } from './aead';
import { createMemorySecretStore } from './memory-store';
import { createRedisSecretStore } from './redis-store';
import type { SecretStore } from './store';

export type { HeldSecret, SecretId, SecretStore } from './store';

const PURPOSE = 'guidance-password';
const holder = globalThis as unknown as { __guidepostGuidancePasswordStore?: SecretStore };

function createGuidancePasswordStore(): SecretStore {
  const env = getEnv();
  // Several app instances share passwords through Redis, so they must share the key too.
  if (env.redisUrl) {
    return createRedisSecretStore({ redis: redisClient(), key: deriveKey(env.encryptionKey, PURPOSE), prefix: `guidepost:${PURPOSE}:` });
  }
  // In memory nothing outlives the process, so a generated (on-disk, development) key buys nothing over a random one.
  const key = env.generatedSecrets ? randomBytes(32) : deriveKey(env.encryptionKey, PURPOSE);
  return createMemorySecretStore({ key });
}

/** The one guidance password store of this process, anchored on globalThis so every route shares it. */
export function guidancePasswordStore(): SecretStore {
  holder.__guidepostGuidancePasswordStore ??= createGuidancePasswordStore();
  return holder.__guidepostGuidancePasswordStore;
}

/** Replaces the process-wide store (undefined: the next call builds the configured one again). */
export function setGuidancePasswordStoreForTests(store: SecretStore | undefined): void {
  holder.__guidepostGuidancePasswordStore = store;
}
