import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setDatabaseForTests } from '@/lib/db/client';
import { bridgeUsers, notifications, users, webhookEvents } from '@/lib/db/schema';
import { SANDBOX_DEFAULTS } from '@/lib/env';
import { createTestDatabase, databaseKinds } from '@/test/databases';
import { MAX_BODY_BYTES, receiveBridgeWebhook } from './bridge-receiver';
import { processDueEvents, type WorkerSettings } from './worker';

// The tests run with no BRIDGE_WEBHOOK_SECRETS, so the app expects the sandbox default secret.
const SECRET = SANDBOX_DEFAULTS.BRIDGE_WEBHOOK_SECRET;
const sign = (body: string | Uint8Array, secret: string = SECRET) => `v1=${createHmac('sha256', secret).update(body).digest('hex').toUpperCase()}`;
const SETTINGS: WorkerSettings = { maxAttempts: 3, retryBaseMs: 1, leaseMs: 60_000, pollMs: 1000 };

function delivery(body: string, signature: string | null = sign(body)): Request {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['BridgeApi-Signature'] = signature;
  return new Request('http://portal.test/api/webhooks/bridge', { method: 'POST', headers, body });
}

describe.each(databaseKinds)('Bridge webhooks on %s', (kind) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let userId: string;
  const bridgeUserUuid = randomUUID();
  let kicks = 0;
  const kick = () => void kicks++;
  const work = () => processDueEvents({ settings: SETTINGS });
  const readyBody = (timestamp = Date.now()) =>
    JSON.stringify({ content: { company_identification_number: '529196313', user_id: bridgeUserUuid }, timestamp, type: 'guidance.health.ready' });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    setDatabaseForTests(database);
    const [user] = await database.db
      .insert(users)
      .values({ email: `w-${randomBytes(4).toString('hex')}@example.com`, passwordHash: 'unused' })
      .returning();
    userId = user!.id;
    await database.db.insert(bridgeUsers).values({ userId, bridgeUserUuid });
  });
  afterAll(async () => {
    setDatabaseForTests(undefined);
    await database.drop();
  });
  beforeEach(() => {
    kicks = 0;
  });

  const userNotifications = () => database.db.select().from(notifications).where(eq(notifications.userId, userId));
  const storedEvents = () => database.db.select().from(webhookEvents);

  it('answers at once, then the worker turns a guidance-ready event into one notification, however often it is delivered', async () => {
    const before = (await userNotifications()).length;
    const body = readyBody();
    const first = await receiveBridgeWebhook(delivery(body), kick);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ status: 'accepted' });
    expect(kicks).toBe(1);
    // The answer does not wait for the work.
    expect(await userNotifications()).toHaveLength(before);
    expect(await work()).toBe(1);
    expect(await userNotifications()).toHaveLength(before + 1);

    const retry = await receiveBridgeWebhook(delivery(body), kick);
    expect(await retry.json()).toEqual({ status: 'duplicate' });
    expect(await work()).toBe(0);
    expect(await userNotifications()).toHaveLength(before + 1);
  });

  it('de-duplicates on the content, not the bytes: a re-serialised event is not a second notification', async () => {
    const before = (await userNotifications()).length;
    const timestamp = Date.now() - 1000;
    const original = readyBody(timestamp);
    expect((await receiveBridgeWebhook(delivery(original), kick)).status).toBe(200);
    await work();
    // Same event, keys in another order and whitespace added: different bytes, different signature.
    const reserialised = JSON.stringify(
      { type: 'guidance.health.ready', timestamp, content: { user_id: bridgeUserUuid, company_identification_number: '529196313' } },
      null,
      2,
    );
    expect(reserialised).not.toBe(original);
    const again = await receiveBridgeWebhook(delivery(reserialised), kick);
    expect(await again.json()).toEqual({ status: 'duplicate' });
    await work();
    expect(await userNotifications()).toHaveLength(before + 1);
  });

  it('a redelivery of an event whose work is not done yet makes it due again rather than answering "duplicate"', async () => {
    const body = readyBody(Date.now() - 2000);
    await receiveBridgeWebhook(delivery(body), kick);
    // The work failed for good (dead-lettered) before the redelivery.
    await database.db.update(webhookEvents).set({ deadAt: new Date(), attempts: 3 }).where(eq(webhookEvents.type, 'guidance.health.ready'));
    const before = (await userNotifications()).length;
    const redelivered = await receiveBridgeWebhook(delivery(body), kick);
    expect(await redelivered.json()).toEqual({ status: 'requeued' });
    expect(await work()).toBeGreaterThanOrEqual(1);
    expect((await userNotifications()).length).toBeGreaterThan(before);
  });

  it('acknowledges Bridge’s dashboard test event (seconds, years old) with 200 and does nothing else', async () => {
    const before = (await storedEvents()).length;
    const body = JSON.stringify({ content: { item_id: 1234567890, status: 0, user_uuid: randomUUID() }, timestamp: 1611681789, type: 'TEST_EVENT' });
    const response = await receiveBridgeWebhook(delivery(body), kick);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'test_acknowledged' });
    expect(await storedEvents()).toHaveLength(before);
    expect(kicks).toBe(0);
    // It is still signed like any event.
    expect((await receiveBridgeWebhook(delivery(body, sign(body, 'not-the-secret-at-all')), kick)).status).toBe(401);
  });

  it('refuses an event dated more than 5 minutes in the future, accepts a small clock skew', async () => {
    const now = Date.now();
    const future = await receiveBridgeWebhook(delivery(readyBody(now + 6 * 60 * 1000)), kick, now);
    expect(future.status).toBe(400);
    expect(await future.json()).toMatchObject({ error: 'future_event' });
    expect((await receiveBridgeWebhook(delivery(readyBody(now + 4 * 60 * 1000)), kick, now)).status).toBe(200);
    await work();
  });

  it('refuses a bad or missing signature with 401 and no side effect', async () => {
    const before = (await storedEvents()).length;
    const body = readyBody(Date.now() + 1);
    expect((await receiveBridgeWebhook(delivery(body, null), kick)).status).toBe(401);
    expect((await receiveBridgeWebhook(delivery(body, sign(body, 'not-the-secret-at-all')), kick)).status).toBe(401);
    expect((await receiveBridgeWebhook(delivery(body, sign(`${body} `)), kick)).status).toBe(401);
    expect(kicks).toBe(0);
    expect(await storedEvents()).toHaveLength(before);
  });

  it('refuses a signed but malformed or stale body with 400', async () => {
    const malformed = JSON.stringify({ content: { user_id: 'nope' }, timestamp: Date.now(), type: 'guidance.health.ready' });
    const bad = await receiveBridgeWebhook(delivery(malformed), kick);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_body' });
    expect((await receiveBridgeWebhook(delivery('not json'), kick)).status).toBe(400);
    const stale = await receiveBridgeWebhook(delivery(readyBody(Date.now() - 25 * 60 * 60 * 1000)), kick);
    expect(stale.status).toBe(400);
    expect(kicks).toBe(0);
  });

  it('stops reading a chunked body at 64 KiB and answers 413, pulling no more than one chunk past the cap', async () => {
    const chunk = new Uint8Array(16 * 1024).fill(0x20);
    let pulled = 0;
    // 600 MiB if read to the end, and no Content-Length.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= 600 * 1024 * 1024) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const request = new Request('http://portal.test/api/webhooks/bridge', { method: 'POST', body, duplex: 'half' } as RequestInit);
    const response = await receiveBridgeWebhook(request, kick);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'payload_too_large' });
    // The stream may read ahead a little (its high-water mark), never the 600 MiB.
    expect(pulled).toBeLessThan(MAX_BODY_BYTES + 8 * chunk.byteLength);
  });

  it('refuses a declared Content-Length over 64 KiB before reading anything', async () => {
    const request = new Request('http://portal.test/api/webhooks/bridge', {
      method: 'POST',
      headers: { 'content-length': String(10 * 1024 * 1024) },
      body: 'x',
    });
    expect((await receiveBridgeWebhook(request, kick)).status).toBe(413);
  });

  it('acknowledges other event types and does nothing else: stored as done, no worker kicked, a redelivery a duplicate', async () => {
    const before = (await userNotifications()).length;
    const kicksBefore = kicks;
    const body = JSON.stringify({ content: { user_uuid: bridgeUserUuid }, timestamp: Date.now(), type: 'item.refreshed' });
    const response = await receiveBridgeWebhook(delivery(body), kick);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'accepted' });
    expect(kicks).toBe(kicksBefore);
    const [stored] = await database.db.select().from(webhookEvents).where(eq(webhookEvents.type, 'item.refreshed'));
    expect(stored?.processedAt).toBeInstanceOf(Date);
    expect(await (await receiveBridgeWebhook(delivery(body), kick)).json()).toEqual({ status: 'duplicate' });
    await work();
    expect(await userNotifications()).toHaveLength(before);
  });

  it('unlinks the Bridge user on user.deleted', async () => {
    const body = JSON.stringify({ content: { user_uuid: bridgeUserUuid }, timestamp: Date.now(), type: 'user.deleted' });
    expect((await receiveBridgeWebhook(delivery(body), kick)).status).toBe(200);
    await work();
    expect(await database.db.select().from(bridgeUsers).where(eq(bridgeUsers.userId, userId))).toHaveLength(0);
  });
});
