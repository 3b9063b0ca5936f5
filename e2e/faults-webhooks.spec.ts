import pg from 'pg';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { bridgeFaults, bridgeUsers, deviceOn, signedWebhook } from './faults';
import { readyForGuidance } from './flows';
import { TestServer } from './server';

// Webhooks are never lost: not when the process dies after answering, not when processing fails, not
// when the Bridge user was never linked here. Each test on a production server of its own (PostgreSQL).

const NOTICE = 'New guidance is ready for Acme Conseil';
const FAST_WORKER = { WEBHOOK_LEASE_SECONDS: '2', WEBHOOK_POLL_SECONDS: '1', WEBHOOK_RETRY_BASE_SECONDS: '1', WEBHOOK_MAX_ATTEMPTS: '2' };

let server: TestServer;
test.beforeEach(async () => {
  server = await TestServer.start({ env: FAST_WORKER });
});
test.afterEach(async () => {
  await server.dispose();
});

async function linkedUser(page: Page): Promise<{ userId: string; bridgeUserUuid: string }> {
  await readyForGuidance(page);
  await page.getByRole('button', { name: 'Open my guidance' }).click();
  await expect(page.getByLabel('One-time password')).toBeVisible();
  const [link] = await server.sql<{ user_id: string; bridge_user_uuid: string }>('select user_id, bridge_user_uuid from bridge_users');
  return { userId: link!.user_id, bridgeUserUuid: link!.bridge_user_uuid };
}

test('killed with SIGKILL right after answering a webhook, restarted: the notification appears', async ({ browser }) => {
  const page = await (await deviceOn(browser, server)).newPage();
  const { userId, bridgeUserUuid } = await linkedUser(page);

  // Hold the user's row so the notification insert (its foreign key check) waits: the event is stored
  // and answered, and its work is in progress but not done, when the process dies.
  const locker = new pg.Client({ connectionString: server.databaseUrl });
  await locker.connect();
  await locker.query('begin');
  await locker.query('select id from users where id = $1 for update', [userId]);
  try {
    const delivered = await signedWebhook(server, {
      type: 'guidance.health.ready',
      content: { user_id: bridgeUserUuid, company_identification_number: '529196313' },
    });
    expect(delivered.status).toBe(200);
    expect(await delivered.json()).toEqual({ status: 'accepted' });
    await expect.poll(async () => (await server.sql('select attempts from webhook_events'))[0]?.attempts).toBe(1);
    expect(await server.signal('SIGKILL')).toBeNull();
    // PostgreSQL only notices a dead client when it next talks to it: end the dead process's sessions
    // (its waiting insert included) as a real server eventually does.
    const name = new URL(server.databaseUrl!).pathname.slice(1);
    await locker.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
  } finally {
    await locker.query('rollback');
    await locker.end();
  }
  expect(await server.sql('select id from webhook_events where processed_at is null')).toHaveLength(1);
  expect(await server.sql('select id from notifications')).toHaveLength(0);

  await server.boot();
  await page.goto('/');
  await expect(page.getByText(NOTICE)).toBeVisible({ timeout: 20_000 });
  expect(await server.sql('select id from notifications')).toHaveLength(1);
  expect(await server.sql('select id from webhook_events where processed_at is not null')).toHaveLength(1);
});

test('a Bridge user whose link was lost is found at Bridge; a failed attempt is retried; a dead letter is logged and revived by a redelivery', async ({
  browser,
}) => {
  const page = await (await deviceOn(browser, server)).newPage();
  await readyForGuidance(page);
  // Bridge creates the user, but the answer is lost: no link is stored here.
  await bridgeFaults(server, [{ operation: 'POST /v3/aggregation/users', action: 'drop' }]);
  await page.getByRole('button', { name: 'Open my guidance' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('We could not reach Bridge. Please try again in a few minutes.');
  expect(await server.sql('select * from bridge_users')).toHaveLength(0);
  const [bridgeUser] = await bridgeUsers(server);
  expect(bridgeUser).toBeDefined();

  // The first attempt's lookup fails (three tries: the client retries idempotent calls twice); the second works.
  await bridgeFaults(server, [{ operation: 'GET /v3/aggregation/users/*', action: 'error', times: 3 }]);
  const from = server.output().length;
  const event = { type: 'guidance.health.ready', content: { user_id: bridgeUser!.uuid, company_identification_number: '529196313' } };
  expect((await signedWebhook(server, event)).status).toBe(200);
  await server.waitForLog(/webhook\.retry_scheduled/, { from });
  await expect(page.getByText(NOTICE)).toBeVisible({ timeout: 20_000 });
  expect(await server.sql('select * from bridge_users')).toHaveLength(1);

  // Another event fails on every attempt (WEBHOOK_MAX_ATTEMPTS=2): dead-lettered, with a line for operators.
  const stranger = await fetch(`${server.baseURL}/sandbox/bridge/v3/aggregation/users`, {
    method: 'POST',
    headers: {
      'Client-Id': 'sandbox-bridge-client-id',
      'Client-Secret': 'sandbox-bridge-client-secret',
      'Bridge-Version': '2025-01-15',
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ external_user_id: 'not-one-of-ours' }),
  }).then((response) => response.json() as Promise<{ uuid: string }>);
  await bridgeFaults(server, [{ operation: 'GET /v3/aggregation/users/*', action: 'error', times: 6 }]);
  const deadEvent = { type: 'guidance.health.ready', content: { user_id: stranger.uuid, company_identification_number: '529196313' }, timestamp: Date.now() };
  expect((await signedWebhook(server, deadEvent)).status).toBe(200);
  const deadLine = await server.waitForLog(/webhook\.dead_letter/, { from, timeoutMs: 20_000 });
  expect(JSON.parse(deadLine)).toMatchObject({ level: 'error', attempts: 2, lastError: 'bridge:unavailable' });

  // Bridge delivers it again: one more attempt, which now succeeds (the user is not ours: acknowledged).
  const redelivered = await signedWebhook(server, deadEvent);
  expect(await redelivered.json()).toEqual({ status: 'requeued' });
  await expect
    .poll(async () => (await server.sql('select count(*)::int as n from webhook_events where processed_at is null'))[0]?.n, { timeout: 15_000 })
    .toBe(0);
});

test('SIGTERM lets an in-flight webhook finish, runs its work, then stops the worker and closes the pool', async ({ browser }) => {
  const page = await (await deviceOn(browser, server)).newPage();
  const { bridgeUserUuid } = await linkedUser(page);
  // The delivery will wait on this lock while the server is told to stop.
  const locker = new pg.Client({ connectionString: server.databaseUrl });
  await locker.connect();
  await locker.query('begin');
  await locker.query('lock table webhook_events in exclusive mode');
  const delivery = signedWebhook(server, { type: 'guidance.health.ready', content: { user_id: bridgeUserUuid, company_identification_number: '529196313' } });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const from = server.output().length;
  const exit = server.signal('SIGTERM');
  await server.waitForLog(/server\.stopping/, { from });
  await new Promise((resolve) => setTimeout(resolve, 500));
  await locker.query('rollback');
  await locker.end();

  const answered = await delivery;
  expect(answered.status).toBe(200);
  expect(await exit).toBe(0);
  const log = server.output().slice(from);
  expect(log).toMatch(/"step":"webhook-worker"/);
  expect(log).toMatch(/"step":"database"/);
  expect(log).toMatch(/server\.stopped/);
  // The work ran before the process ended.
  expect(await server.sql('select id from notifications')).toHaveLength(1);
});
