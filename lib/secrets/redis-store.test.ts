import { randomBytes, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '@/lib/env';
import { createKeyRing, deriveKeyRing } from './aead';
import { knownSecrets } from './known';
import { resealGuidancePasswords } from './index';
import { createRedisSecretStore, redisSealedSource } from './redis-store';
import type { SealedValue } from './rotation';
import { secretIdAad, secretIdKey, type SecretStore, type TamperedEvent } from './store';

const PASSWORD = 'Ab3!Cd4@Ef5(Gh6)Ij7K';
const A1 = { userId: 'user-a', sessionId: 's1' };
const B1 = { userId: 'user-b', sessionId: 's1' };

// Runs against a real Redis only when one is configured (CI sets REDIS_URL).
describe.skipIf(!process.env.REDIS_URL)('redis secret store', () => {
  const prefix = `guidepost-test:${randomUUID()}:`;
  const tampered: TamperedEvent[] = [];
  let redis: Redis;
  let store: SecretStore;

  beforeAll(() => {
    redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 2, connectTimeout: 5_000 });
    store = createRedisSecretStore({ redis, key: randomBytes(32), prefix, onTampered: (event) => tampered.push(event) });
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('puts, gets and deletes', async () => {
    const before = Date.now();
    const { expiresAt } = await store.put(A1, PASSWORD, 60);
    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(before + 60_000);

    const held = await store.get(A1);
    expect(held?.value).toBe(PASSWORD);
    // expiresAt comes from Redis' own TTL; allow for the round trips.
    expect(Math.abs(held!.expiresAt.getTime() - expiresAt.getTime())).toBeLessThan(1_000);
    expect(await store.get(B1)).toBeUndefined();

    expect(await store.delete(A1)).toBe(true);
    expect(await store.get(A1)).toBeUndefined();
    expect(await store.delete(A1)).toBe(false);
  });

  it('makes what it holds and what it reads known to the logger', async () => {
    const held = `held-${randomUUID()}`;
    await store.put(A1, held, 60);
    expect(knownSecrets().redact(held)).toBe('[redacted]');
    // Sealed by another instance (or before a restart), straight into Redis: known once read here.
    const key = randomBytes(32);
    const elsewhere = `elsewhere-${randomUUID()}`;
    await redis.set(`${prefix}${secretIdKey(B1)}`, createKeyRing(key).seal(elsewhere, secretIdAad(B1)), 'PX', 60_000);
    expect(knownSecrets().redact(elsewhere)).toBe(elsewhere);
    expect((await createRedisSecretStore({ redis, key, prefix }).get(B1))?.value).toBe(elsewhere);
    expect(knownSecrets().redact(elsewhere)).toBe('[redacted]');
    await redis.del(`${prefix}${secretIdKey(B1)}`);
    await store.delete(A1);
  });

  it('replaces the value under the same id', async () => {
    await store.put(A1, 'first-password', 60);
    await store.put(A1, PASSWORD, 60);
    expect((await store.get(A1))?.value).toBe(PASSWORD);
    await store.delete(A1);
  });

  it('stores only ciphertext, with an expiry set by Redis', async () => {
    await store.put(A1, PASSWORD, 60);
    const keys = await redis.keys(`${prefix}*`);
    expect(keys).toEqual([`${prefix}user-a:s1`]);
    const raw = await redis.get(keys[0]!);
    expect(raw).toMatch(/^v2\.[A-Za-z0-9_-]{11}\./);
    expect(raw).not.toContain(PASSWORD);
    expect(raw).not.toContain(Buffer.from(PASSWORD).toString('base64url'));
    const pttl = await redis.pttl(keys[0]!);
    expect(pttl).toBeGreaterThan(59_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
    await store.delete(A1);
  });

  it('lets Redis expire the value', async () => {
    await store.put(A1, PASSWORD, 1);
    expect((await store.get(A1))?.value).toBe(PASSWORD);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await store.get(A1)).toBeUndefined();
    expect(await redis.exists(`${prefix}user-a:s1`)).toBe(0);
  });

  it('reads a tampered value as undefined, deletes it and reports it without the value', async () => {
    await store.put(A1, PASSWORD, 60);
    const rawKey = `${prefix}user-a:s1`;
    const [version, keyId, body] = (await redis.get(rawKey))!.split('.') as [string, string, string];
    const bytes = Buffer.from(body, 'base64url');
    bytes[20] = (bytes[20] ?? 0) ^ 0x80;
    await redis.set(rawKey, `${version}.${keyId}.${bytes.toString('base64url')}`, 'KEEPTTL');

    tampered.length = 0;
    expect(await store.get(A1)).toBeUndefined();
    expect(await redis.exists(rawKey)).toBe(0);
    expect(tampered).toEqual([{ backend: 'redis', userId: 'user-a', sessionId: 's1' }]);
  });

  it('cannot open a ciphertext copied under another user', async () => {
    await store.put(A1, PASSWORD, 60);
    const raw = (await redis.get(`${prefix}user-a:s1`))!;
    await redis.set(`${prefix}user-b:s1`, raw, 'PX', 60_000);
    expect(await store.get(B1)).toBeUndefined();
    expect((await store.get(A1))?.value).toBe(PASSWORD);
    await store.delete(A1);
  });

  it('drops a value someone stored without an expiry', async () => {
    await store.put(A1, PASSWORD, 60);
    await redis.persist(`${prefix}user-a:s1`);
    expect(await store.get(A1)).toBeUndefined();
    expect(await redis.exists(`${prefix}user-a:s1`)).toBe(0);
  });

  it('refuses a TTL outside 1..1800 seconds and writes nothing', async () => {
    await expect(store.put(B1, PASSWORD, 1801)).rejects.toThrow('ttlSeconds must be between 1 and 1800');
    await expect(store.put(B1, PASSWORD, 0)).rejects.toThrow('ttlSeconds must be between 1 and 1800');
    expect(await redis.exists(`${prefix}user-b:s1`)).toBe(0);
  });
});

// After ENCRYPTION_KEY changes, entries other instances sealed under the previous key still open.
describe.skipIf(!process.env.REDIS_URL)('redis secret store across a key rotation', () => {
  const prefix = `guidepost-test:${randomUUID()}:`;
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);
  const tampered: TamperedEvent[] = [];
  let redis: Redis;

  const storeWith = (current: Buffer, previous: Buffer[] = []) =>
    createRedisSecretStore({ redis, keys: createKeyRing(current, previous), prefix, onTampered: (event) => tampered.push(event) });

  beforeAll(() => {
    redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 2, connectTimeout: 5_000 });
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('opens an entry sealed under the previous key, re-sealing it under the current key with its expiry kept', async () => {
    await storeWith(keyA).put(A1, PASSWORD, 60);
    const rawKey = `${prefix}user-a:s1`;
    await redis.pexpire(rawKey, 45_000);

    const rotated = storeWith(keyB, [keyA]);
    expect((await rotated.get(A1))?.value).toBe(PASSWORD);
    expect(tampered).toEqual([]);
    expect((await redis.get(rawKey))?.split('.')[1]).toBe(createKeyRing(keyB).currentKeyId);
    const pttl = await redis.pttl(rawKey);
    expect(pttl).toBeGreaterThan(40_000);
    expect(pttl).toBeLessThanOrEqual(45_000);
    // The previous key is no longer needed for this entry.
    expect((await storeWith(keyB).get(A1))?.value).toBe(PASSWORD);
    await rotated.delete(A1);
  });

  it('leaves alone an entry sealed under a key it does not hold: another instance, already on a newer key, can read it', async () => {
    await storeWith(keyA).put(B1, PASSWORD, 60);
    tampered.length = 0;
    // An instance still on key B only, during a rolling change to key A.
    expect(await storeWith(keyB).get(B1)).toBeUndefined();
    expect(tampered).toEqual([]);
    expect((await storeWith(keyA).get(B1))?.value).toBe(PASSWORD);
    await storeWith(keyA).delete(B1);
  });

  it('deletes and reports an entry whose key it holds but which does not open', async () => {
    await storeWith(keyA).put(B1, PASSWORD, 60);
    const rawKey = `${prefix}user-b:s1`;
    const [version, keyId, body] = (await redis.get(rawKey))!.split('.') as [string, string, string];
    await redis.set(rawKey, `${version}.${keyId}.${body.slice(0, -2)}${body.endsWith('AA') ? 'BB' : 'AA'}`, 'PX', 60_000);
    tampered.length = 0;
    expect(await storeWith(keyB, [keyA]).get(B1)).toBeUndefined();
    expect(tampered).toEqual([{ backend: 'redis', userId: 'user-b', sessionId: 's1' }]);
    expect(await redis.get(rawKey)).toBeNull();
  });

  it('re-seals every entry under the current key, keeping each expiry, and is safe to run twice', async () => {
    const guidanceKeys = (current: Buffer, previous: Buffer[] = []) => deriveKeyRing(current, previous, 'guidance-password');
    const before = createRedisSecretStore({ redis, keys: guidanceKeys(keyA), prefix });
    const ids = Array.from({ length: 25 }, (_, index) => ({ userId: `user-${index}`, sessionId: `session:${index}` }));
    for (const id of ids) await before.put(id, `${PASSWORD}-${id.userId}`, 600);
    // One entry sealed under a key nobody configured any more.
    await createRedisSecretStore({ redis, keys: guidanceKeys(randomBytes(32)), prefix }).put({ userId: 'lost', sessionId: 's' }, PASSWORD, 600);
    const ttlBefore = await redis.pttl(`${prefix}user-0:session%3A0`);

    const env = (previous: Buffer[]) =>
      parseEnv({
        AUTH_SECRET: 'x'.repeat(32),
        ENCRYPTION_KEY: keyB.toString('base64'),
        ...(previous.length > 0 ? { ENCRYPTION_KEYS_PREVIOUS: previous.map((key) => key.toString('base64')).join(',') } : {}),
      });
    const first = await resealGuidancePasswords(redis, env([keyA]), { prefix });
    expect(first).toMatchObject({ resealed: 25, current: 0, skipped: 0, unreadable: ['lost:s'] });
    const second = await resealGuidancePasswords(redis, env([keyA]), { prefix });
    expect(second).toMatchObject({ resealed: 0, current: 25, unreadable: ['lost:s'] });

    // Key A is no longer needed: the current key alone opens every entry, which keeps its expiry.
    const after = createRedisSecretStore({ redis, keys: guidanceKeys(keyB), prefix });
    for (const id of ids) expect((await after.get(id))?.value).toBe(`${PASSWORD}-${id.userId}`);
    const ttlAfter = await redis.pttl(`${prefix}user-0:session%3A0`);
    expect(ttlAfter).toBeLessThanOrEqual(ttlBefore);
    expect(ttlAfter).toBeGreaterThan(590_000);
    for (const id of ids) await after.delete(id);
    await redis.del(`${prefix}lost:s`);
  });

  it('never overwrites an entry written again since it was read', async () => {
    await storeWith(keyA).put(A1, 'old-password', 60);
    const source = redisSealedSource({ redis, prefix, name: 'test' });
    // SCAN visits the whole keyspace in steps; a step may hold none of ours.
    const values: SealedValue[] = [];
    let cursor: string | undefined;
    do {
      const batch = await source.next(cursor, 100);
      values.push(...batch.values);
      cursor = batch.cursor;
    } while (cursor !== undefined);
    const read = values.find((value) => value.id === 'user-a:s1')!;
    expect(read).toBeDefined();
    // The app writes a new password in between.
    await storeWith(keyB, [keyA]).put(A1, PASSWORD, 60);
    const ring = createKeyRing(keyB, [keyA]);
    expect(await source.replace(read, ring.seal('old-password', read.aad))).toBe(false);
    expect((await storeWith(keyB).get(A1))?.value).toBe(PASSWORD);
    await redis.del(`${prefix}user-a:s1`);
  });
});
