import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKeyRing } from './aead';
import { knownSecrets } from './known';
import { createMemorySecretStore, type MemoryEntry, type MemorySecretStore } from './memory-store';
import { secretIdAad, type TamperedEvent } from './store';

const PASSWORD = 'Ab3!Cd4@Ef5(Gh6)Ij7K';
const A1 = { userId: 'user-a', sessionId: 's1' };
const B1 = { userId: 'user-b', sessionId: 's1' };

const stores: MemorySecretStore[] = [];

function setup(options: { sweepIntervalMs?: number; entries?: Map<string, MemoryEntry>; previousKeys?: Buffer[] } = {}) {
  let clock = Date.UTC(2026, 0, 1);
  const entries = options.entries ?? new Map<string, MemoryEntry>();
  const tampered: TamperedEvent[] = [];
  const key = randomBytes(32);
  const store = createMemorySecretStore({
    keys: createKeyRing(key, options.previousKeys),
    now: () => clock,
    entries,
    sweepIntervalMs: options.sweepIntervalMs ?? 0,
    onTampered: (event) => tampered.push(event),
  });
  stores.push(store);
  return {
    store,
    entries,
    tampered,
    key,
    now: () => clock,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  vi.useRealTimers();
});

describe('memory secret store', () => {
  it('holds a value until just before its TTL and not at it', async () => {
    const { store, now, advance } = setup();
    const start = now();
    const { expiresAt } = await store.put(A1, PASSWORD, 1800);
    expect(expiresAt.getTime()).toBe(start + 1_800_000);

    advance(1_800_000 - 1);
    expect(await store.get(A1)).toEqual({ value: PASSWORD, expiresAt });
    advance(1);
    expect(await store.get(A1)).toBeUndefined();
    // Reading an expired entry also frees it.
    expect(store.size()).toBe(0);
  });

  it('deletes at once and says whether something was held', async () => {
    const { store, advance } = setup();
    await store.put(A1, PASSWORD, 60);
    expect(await store.delete(A1)).toBe(true);
    expect(await store.get(A1)).toBeUndefined();
    expect(await store.delete(A1)).toBe(false);

    await store.put(A1, PASSWORD, 60);
    advance(60_000);
    expect(await store.delete(A1)).toBe(false);
  });

  it('replaces the value and expiry under the same id', async () => {
    const { store, now, advance } = setup();
    await store.put(A1, 'first-password', 60);
    advance(30_000);
    const { expiresAt } = await store.put(A1, PASSWORD, 60);
    expect(expiresAt.getTime()).toBe(now() + 60_000);
    expect(await store.get(A1)).toEqual({ value: PASSWORD, expiresAt });
    expect(store.size()).toBe(1);
    advance(45_000);
    expect((await store.get(A1))?.value).toBe(PASSWORD);
  });

  it('keeps values of different users and sessions apart', async () => {
    const { store } = setup();
    await store.put(A1, PASSWORD, 60);
    expect(await store.get(B1)).toBeUndefined();
    expect(await store.get({ userId: 'user-a', sessionId: 's2' })).toBeUndefined();
    // Ids that would collide if naively joined with the separator stay distinct.
    await store.put({ userId: 'a:b', sessionId: 'c' }, 'one', 60);
    expect(await store.get({ userId: 'a', sessionId: 'b:c' })).toBeUndefined();
  });

  it('cannot open a ciphertext copied under another user', async () => {
    const { store, entries, tampered } = setup();
    await store.put(A1, PASSWORD, 60);
    await store.put(B1, 'b-password', 60);
    const [[keyA, entryA], [keyB]] = [...entries] as [[string, MemoryEntry], [string, MemoryEntry]];
    expect(keyA).not.toBe(keyB);
    entries.set(keyB, { ...entryA });

    expect(await store.get(B1)).toBeUndefined();
    expect(tampered).toEqual([{ backend: 'memory', userId: 'user-b', sessionId: 's1' }]);
    expect(await store.get(A1)).toMatchObject({ value: PASSWORD });
  });

  it('deletes a tampered entry, reads it as undefined and reports it without the value', async () => {
    const { store, entries, tampered } = setup();
    await store.put(A1, PASSWORD, 60);
    const [[storageKey, entry]] = [...entries] as [[string, MemoryEntry]];
    const [version, keyId, body] = entry.sealed.split('.') as [string, string, string];
    const bytes = Buffer.from(body, 'base64url');
    bytes[20] = (bytes[20] ?? 0) ^ 0x80;
    entries.set(storageKey, { ...entry, sealed: `${version}.${keyId}.${bytes.toString('base64url')}` });

    expect(await store.get(A1)).toBeUndefined();
    expect(store.size()).toBe(0);
    expect(tampered).toHaveLength(1);
    expect(JSON.stringify(tampered)).not.toContain(PASSWORD);
  });

  it('refuses an entry sealed with another key', async () => {
    const { store, entries, tampered, now } = setup();
    await store.put(A1, PASSWORD, 60);
    const [[storageKey, entry]] = [...entries] as [[string, MemoryEntry]];
    // Same associated data the store uses, so only the key differs.
    entries.set(storageKey, { ...entry, sealed: createKeyRing(randomBytes(32)).seal(PASSWORD, `guidepost.secret-id.v1:${storageKey}`) });
    expect(entry.expiresAtMs).toBeGreaterThan(now());
    expect(await store.get(A1)).toBeUndefined();
    expect(tampered).toHaveLength(1);
  });

  it('opens an entry sealed under a previous key of its ring, and seals new ones under the current key', async () => {
    const before = setup();
    await before.store.put(A1, PASSWORD, 60);
    const after = setup({ entries: before.entries, previousKeys: [before.key] });
    expect(await after.store.get(A1)).toMatchObject({ value: PASSWORD });
    expect(after.tampered).toEqual([]);

    await after.store.put(B1, 'b-password', 60);
    // The old ring alone cannot open what the new one sealed.
    expect(await before.store.get(B1)).toBeUndefined();
    expect(before.tampered).toHaveLength(1);
  });

  it('still takes a single key', async () => {
    const store = createMemorySecretStore({ key: randomBytes(32), sweepIntervalMs: 0 });
    stores.push(store);
    await store.put(A1, PASSWORD, 60);
    expect((await store.get(A1))?.value).toBe(PASSWORD);
  });

  it('holds only ciphertext', async () => {
    const { store, entries } = setup();
    await store.put(A1, PASSWORD, 60);
    const held = JSON.stringify([...entries]);
    expect(held).not.toContain(PASSWORD);
    expect(held).not.toContain(Buffer.from(PASSWORD).toString('base64url'));
  });

  it('makes what it holds and what it reads known to the logger', async () => {
    const { store, entries, key, now } = setup();
    const held = `held-${randomBytes(8).toString('hex')}`;
    await store.put(A1, held, 60);
    expect(knownSecrets().redact(held)).toBe('[redacted]');
    // Sealed without going through put (as after a key rotation script): known once read.
    const sealedElsewhere = `elsewhere-${randomBytes(8).toString('hex')}`;
    entries.set('user-b:s1', { sealed: createKeyRing(key).seal(sealedElsewhere, secretIdAad(B1)), expiresAtMs: now() + 60_000 });
    expect(knownSecrets().redact(sealedElsewhere)).toBe(sealedElsewhere);
    expect((await store.get(B1))?.value).toBe(sealedElsewhere);
    expect(knownSecrets().redact(sealedElsewhere)).toBe('[redacted]');
  });

  it('refuses a TTL outside 1..1800 seconds', async () => {
    const { store } = setup();
    for (const ttl of [0, 0.5, -1, 1801, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(store.put(A1, PASSWORD, ttl)).rejects.toThrow('ttlSeconds must be between 1 and 1800');
    }
    expect(store.size()).toBe(0);
    await expect(store.put(A1, PASSWORD, 1)).resolves.toBeDefined();
  });

  it('sweeps expired entries nobody reads again, so memory stays bounded', async () => {
    vi.useFakeTimers();
    const { store, advance } = setup({ sweepIntervalMs: 1_000 });
    for (let i = 0; i < 100; i += 1) await store.put({ userId: `user-${i}`, sessionId: 's' }, PASSWORD, 1);
    await store.put(A1, PASSWORD, 60);
    expect(store.size()).toBe(101);

    advance(1_000);
    vi.advanceTimersByTime(1_000);
    expect(store.size()).toBe(1);
    expect((await store.get(A1))?.value).toBe(PASSWORD);
  });
});
