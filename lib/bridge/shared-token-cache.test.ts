import { createHash, randomBytes, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BRIDGE_ENDPOINTS, BRIDGE_VERSION, bridgePath } from '@guidepost/provider-contracts/bridge';
import { createBridgeSandbox, type BridgeSandbox } from '@guidepost/sandbox/bridge';
import { bridgeRequest } from '@guidepost/sandbox/bridge/testing';
import { createKeyRing, deriveKeyRing } from '@/lib/secrets/aead';
import { knownSecrets } from '@/lib/secrets/known';
import { createBridgeClient } from './client';
import { createRedisUserTokenCache } from './shared-token-cache';
import { TOKEN_EARLY_EXPIRY_MS } from './token-cache';

// Several instances share Bridge user tokens through Redis: one token call per user, whichever instance
// serves them. Runs against a real Redis only when one is configured (CI sets REDIS_URL).

const TWO_HOURS = 2 * 60 * 60 * 1000;
const CREDENTIALS = { clientId: 'client-test-id', clientSecret: 'client-test-secret-0123456789' } as const;
const TOKEN = bridgePath(BRIDGE_ENDPOINTS.issueToken);

describe.skipIf(!process.env.REDIS_URL)('Bridge token cache shared through Redis', () => {
  const prefix = `guidepost-test:${randomUUID()}:`;
  const encryptionKey = randomBytes(32);
  const keys = () => deriveKeyRing(encryptionKey, [], 'bridge-user-token');
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 2, connectTimeout: 5_000 });
  });

  afterAll(async () => {
    const found = await redis.keys(`${prefix}*`);
    if (found.length > 0) await redis.del(...found);
    await redis.quit();
  });

  /** A cache as one instance builds it: its own Redis connection, the keys every instance derives from ENCRYPTION_KEY. */
  const instanceCache = () => createRedisUserTokenCache({ redis, keys: keys(), prefix });

  it('serves on one instance the token another cached, sealed at rest, kept by Redis until five minutes before it expires', async () => {
    const uuid = randomUUID();
    const token = `token-${randomBytes(24).toString('base64url')}`;
    await instanceCache().put(uuid, token, new Date(Date.now() + TWO_HOURS).toISOString());
    expect(await instanceCache().get(uuid)).toBe(token);

    const [stored] = await redis.keys(`${prefix}*`).then((found) => found.filter((key) => key.includes(uuid)));
    expect(stored).toBeDefined();
    const raw = (await redis.get(stored!))!;
    expect(raw).toMatch(/^v2\./);
    expect(raw).not.toContain(token);
    expect(raw).not.toContain(Buffer.from(token).toString('base64url'));
    const pttl = await redis.pttl(stored!);
    expect(pttl).toBeGreaterThan(TWO_HOURS - TOKEN_EARLY_EXPIRY_MS - 5_000);
    expect(pttl).toBeLessThanOrEqual(TWO_HOURS - TOKEN_EARLY_EXPIRY_MS);
    // Known to the logger wherever it was read.
    expect(knownSecrets().redact(token)).toBe('[redacted]');
  });

  it('keeps nothing for a token already inside the margin, and forgets on every instance at once', async () => {
    const uuid = randomUUID();
    const cache = instanceCache();
    await cache.put(uuid, 'token-about-to-expire-0001', Date.now() + TOKEN_EARLY_EXPIRY_MS);
    expect(await instanceCache().get(uuid)).toBeUndefined();
    await cache.put(uuid, 'token-with-no-expiry-00001', 'not a date');
    expect(await instanceCache().get(uuid)).toBeUndefined();

    await cache.put(uuid, 'token-still-good-00000001', Date.now() + TWO_HOURS);
    await instanceCache().forget(uuid);
    expect(await cache.get(uuid)).toBeUndefined();
  });

  it('opens a token only for its own user and only with the shared key', async () => {
    const owner = randomUUID();
    const other = randomUUID();
    await instanceCache().put(owner, 'token-of-the-owner-000001', Date.now() + TWO_HOURS);
    // Copied under another user's entry: bound to its user, it does not open there.
    const [ownerKey] = (await redis.keys(`${prefix}*`)).filter((key) => key.includes(owner));
    await redis.set(ownerKey!.replace(owner, other), (await redis.get(ownerKey!))!, 'PX', 60_000);
    expect(await instanceCache().get(other)).toBeUndefined();
    // An instance with another ENCRYPTION_KEY reads nothing (and asks Bridge), rather than failing.
    const stranger = createRedisUserTokenCache({ redis, keys: createKeyRing(randomBytes(32)), prefix });
    expect(await stranger.get(owner)).toBeUndefined();
    expect(await instanceCache().get(owner)).toBe('token-of-the-owner-000001');
  });

  it('goes on without the cache when Redis cannot be reached', async () => {
    const down = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, connectTimeout: 200, lazyConnect: true, retryStrategy: () => null });
    // The connection's own error events are what a real outage emits; the cache must not need them.
    down.on('error', () => undefined);
    const cache = createRedisUserTokenCache({ redis: down, keys: keys(), prefix });
    const uuid = randomUUID();
    await expect(cache.put(uuid, 'token-while-redis-is-down', Date.now() + TWO_HOURS)).resolves.toBeUndefined();
    await expect(cache.get(uuid)).resolves.toBeUndefined();
    await expect(cache.forget(uuid)).resolves.toBeUndefined();
    down.disconnect();
  });

  describe('two Bridge clients (two instances) on one Bridge', () => {
    let sandbox: BridgeSandbox;
    let tokenCalls: number;

    const instanceClient = () =>
      createBridgeClient({
        apiUrl: 'http://bridge.test',
        version: BRIDGE_VERSION,
        ...CREDENTIALS,
        tokens: instanceCache(),
        fetch: async (input, init) => {
          const request = new Request(input, init);
          if (new URL(request.url).pathname === TOKEN) tokenCalls++;
          return sandbox.handle(request);
        },
      });

    beforeEach(() => {
      sandbox = createBridgeSandbox({ ...CREDENTIALS, siteOrigin: 'http://portal.test' });
      tokenCalls = 0;
    });

    it('ask Bridge for one token per user between them', async () => {
      const [a, b] = [instanceClient(), instanceClient()];
      const { uuid } = await a.createUser(randomUUID());
      const input = { countryCode: 'FR', companyIdentificationNumber: '529196313' };
      expect((await a.openGuidanceSession(uuid, input)).ok).toBe(true);
      expect((await b.openGuidanceSession(uuid, input)).ok).toBe(true);
      expect(await b.userAccessToken(uuid)).toBe(await a.userAccessToken(uuid));
      expect(tokenCalls).toBe(1);
    });

    it('ask Bridge once when both need the user’s token at the same moment', async () => {
      const [a, b] = [instanceClient(), instanceClient()];
      const { uuid } = await a.createUser(randomUUID());
      const input = { countryCode: 'FR', companyIdentificationNumber: '529196313' };
      const opened = await Promise.all([a.openGuidanceSession(uuid, input), b.openGuidanceSession(uuid, input)]);
      expect(opened.map((result) => result.ok)).toEqual([true, true]);
      expect(tokenCalls).toBe(1);
    });

    it('ask Bridge themselves when the instance that claimed the token never brings it (it died)', async () => {
      const a = instanceClient();
      const { uuid } = await a.createUser(randomUUID());
      // A claim nobody will honour, as a dead instance leaves it (it expires by itself after five seconds).
      await redis.set(`${prefix}issuing:${createHash('sha256').update(uuid).digest('hex')}`, '1', 'PX', 5_000);
      const started = Date.now();
      expect((await a.openGuidanceSession(uuid, { countryCode: 'FR', companyIdentificationNumber: '529196313' })).ok).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
      expect(tokenCalls).toBe(1);
    });

    it('share a token Bridge refused no longer: a 401 on one instance makes both authenticate again, once', async () => {
      const [a, b] = [instanceClient(), instanceClient()];
      const { uuid } = await a.createUser(randomUUID());
      const input = { countryCode: 'FR', companyIdentificationNumber: '529196313' };
      expect((await a.openGuidanceSession(uuid, input)).ok).toBe(true);
      await sandbox.handle(bridgeRequest('/_control/expire-tokens', { method: 'POST', body: {}, credentials: CREDENTIALS }));
      expect((await b.openGuidanceSession(uuid, input)).ok).toBe(true);
      expect((await a.openGuidanceSession(uuid, input)).ok).toBe(true);
      expect(tokenCalls).toBe(2);
    });
  });
});
