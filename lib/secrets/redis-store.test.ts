import { randomBytes, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisSecretStore } from './redis-store';
import type { SecretStore, TamperedEvent } from './store';

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
    expect(raw).toMatch(/^v1\./);
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
    const raw = (await redis.get(rawKey))!;
    const bytes = Buffer.from(raw.slice(3), 'base64url');
    bytes[20] = (bytes[20] ?? 0) ^ 0x80;
    await redis.set(rawKey, `v1.${bytes.toString('base64url')}`, 'KEEPTTL');

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
