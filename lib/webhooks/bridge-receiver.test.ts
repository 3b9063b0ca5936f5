import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDatabaseForTests } from '@/lib/db/client';
import { bridgeUsers, notifications, users, webhookEvents } from '@/lib/db/schema';
import { SANDBOX_DEFAULTS } from '@/lib/env';
import { createTestDatabase, databaseKinds } from '@/test/databases';
import { receiveBridgeWebhook } from './webhooks';

// The tests run with no BRIDGE_WEBHOOK_SECRETS, so the app expects the sandbox default secret.
const SECRET = SANDBOX_DEFAULTS.BRIDGE_WEBHOOK_SECRET;
const sign = (body: string, secret: string = SECRET) => `v1=${createHmac('sha256', secret).update(body).digest('hex').toUpperCase()}`;

function delivery(body: string, signature: string | null = sign(body)): Request {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['BridgeApi-Signature'] = signature;
  return new Request('http://portal.test/api/webhooks/bridge', { method: 'POST', headers, body });
}

describe.each(databaseKinds)('Bridge webhooks on %s', (kind) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let userId: string;
  const bridgeUserUuid = randomUUID();
  const deferred: Array<() => Promise<void>> = [];
  const defer = (work: () => Promise<void>) => void deferred.push(work);
  const runDeferred = async () => {
    while (deferred.length > 0) await deferred.shift()!();
  };
  const readyBody = (timestamp = Date.now()) =>
    JSON.stringify({ content: { company_identification_number: '529196313', user_id: bridgeUserUuid }, timestamp, type: 'guidance.health.ready' });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    setDatabaseForTests(database);
    const [user] = await database.db.insert(users).values({ email: `w-${randomBytes(4).toString('hex')}@example.com`, passwordHash: 'unused' }).returning();
    userId = user!.id;
    await database.db.insert(bridgeUsers).values({ userId, bridgeUserUuid });
  });
  afterAll(async () => {
    setDatabaseForTests(undefined);
    await database.drop();
  });

  const userNotifications = () => database.db.select().from(notifications).where(eq(notifications.userId, userId));

  it('turns a signed guidance-ready event into one notification, however often it is delivered', async () => {
    const body = readyBody();
    const first = await receiveBridgeWebhook(delivery(body), defer);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ status: 'accepted' });
    // The answer does not wait for the work.
    expect(await userNotifications()).toHaveLength(0);
    await runDeferred();
    expect(await userNotifications()).toHaveLength(1);

    const retry = await receiveBridgeWebhook(delivery(body), defer);
    expect(await retry.json()).toEqual({ status: 'duplicate' });
    await runDeferred();
    expect(await userNotifications()).toHaveLength(1);
  });

  it('refuses a bad or missing signature with 401 and no side effect', async () => {
    const before = (await database.db.select().from(webhookEvents)).length;
    const body = readyBody(Date.now() + 1);
    expect((await receiveBridgeWebhook(delivery(body, null), defer)).status).toBe(401);
    expect((await receiveBridgeWebhook(delivery(body, sign(body, 'not-the-secret-at-all')), defer)).status).toBe(401);
    expect((await receiveBridgeWebhook(delivery(body, sign(`${body} `)), defer)).status).toBe(401);
    expect(deferred).toHaveLength(0);
    expect(await database.db.select().from(webhookEvents)).toHaveLength(before);
  });

  it('refuses a signed but malformed or stale body with 400', async () => {
    const malformed = JSON.stringify({ content: { user_id: 'nope' }, timestamp: Date.now(), type: 'guidance.health.ready' });
    const bad = await receiveBridgeWebhook(delivery(malformed), defer);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_body' });
    expect((await receiveBridgeWebhook(delivery('not json'), defer)).status).toBe(400);
    const stale = await receiveBridgeWebhook(delivery(readyBody(Date.now() - 25 * 60 * 60 * 1000)), defer);
    expect(stale.status).toBe(400);
    expect(deferred).toHaveLength(0);
  });

  it('acknowledges other event types and ignores them', async () => {
    const body = JSON.stringify({ content: { user_uuid: bridgeUserUuid }, timestamp: Date.now(), type: 'item.refreshed' });
    const response = await receiveBridgeWebhook(delivery(body), defer);
    expect(response.status).toBe(200);
    await runDeferred();
    expect(await userNotifications()).toHaveLength(1);
  });

  it('unlinks the Bridge user on user.deleted', async () => {
    const body = JSON.stringify({ content: { user_uuid: bridgeUserUuid }, timestamp: Date.now(), type: 'user.deleted' });
    expect((await receiveBridgeWebhook(delivery(body), defer)).status).toBe(200);
    await runDeferred();
    expect(await database.db.select().from(bridgeUsers).where(eq(bridgeUsers.userId, userId))).toHaveLength(0);
  });
});
