import Redis from 'ioredis';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { startSmtpSink, type SmtpSink } from '../test/smtp-sink';
import { expect, logIn, logOut, PASSWORD, signUp, test, watchCsp, type ConfirmationLinkReader } from './fixtures';
import { signedWebhook } from './faults';
import { readyForGuidance } from './flows';
import { freePort, LoadBalancer, PIN_HEADER } from './load-balancer';
import { BRIDGE_HEADERS } from './sandbox';
import { TestServer } from './server';

// Several instances behave as one: two production servers sharing one PostgreSQL database, one Redis,
// AUTH_SECRET and ENCRYPTION_KEY, behind HAProxy (round-robin per request, no stickiness). Every
// browser request goes through the balancer, so one user's pages and actions alternate instances.
//
// Both instances call ONE Bridge (and Finqware) simulator, instance A's, as real instances call one
// provider: the simulators live in the process, and a server finds its own at PORT (lib/env.ts), so B is
// started with A's PORT while it listens on its own (-p). What Bridge received is then counted in one place.

// The spec owns this Redis database (its counters must not meet other runs'): emptied before it starts.
const REDIS_URL = process.env.E2E_MULTI_REDIS_URL ?? 'redis://127.0.0.1:6379/13';
const NOTICE = 'New guidance is ready for Acme Conseil';
const FAST_WORKER = { WEBHOOK_LEASE_SECONDS: '2', WEBHOOK_POLL_SECONDS: '1', WEBHOOK_RETRY_BASE_SECONDS: '1' };

test.describe.configure({ mode: 'serial' });

let sink: SmtpSink;
let a: TestServer;
let b: TestServer;
let balancer: LoadBalancer;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  await redis.flushdb();
  await redis.quit();
  sink = await startSmtpSink();
  const balancerPort = await freePort();
  const env = {
    ...FAST_WORKER,
    APP_URL: `http://127.0.0.1:${balancerPort}`,
    REDIS_URL,
    SMTP_URL: sink.url,
    MAIL_FROM: 'Guidepost <no-reply@guidepost.test>',
    // Behind the balancer: the client is the address HAProxy appends.
    TRUSTED_PROXY_HOPS: '1',
  };
  // A's webhook worker takes due events right after a delivery to A and otherwise every five minutes (the longest),
  // so an event delivered to B is B's: its notice crosses to A's tabs through the bus.
  a = await TestServer.start({ env: { ...env, WEBHOOK_POLL_SECONDS: '300' } });
  b = await TestServer.start({ sharedWith: a, env: { ...env, PORT: String(a.port) } });
  balancer = await LoadBalancer.start(balancerPort, { a: a.port, b: b.port });
});

test.afterAll(async () => {
  await balancer?.stop();
  await b?.dispose();
  await a?.dispose();
  await sink?.close();
});

/** A visitor whose every request goes through the balancer. */
async function throughBalancer(browser: Browser): Promise<BrowserContext> {
  return watchCsp(await browser.newContext({ baseURL: balancer.baseURL }));
}

/** Confirmation links from the SMTP server both instances send through; each token is checked against both logs. */
const confirmationLink: ConfirmationLinkReader = async (_page, email) => {
  const text = (await sink.next(email, { subject: 'Confirm your email address for Guidepost' })).text ?? '';
  const link = /https?:\/\/\S+\/verify-email#([A-Za-z0-9_-]{43})/.exec(text)!;
  a.noteSecret(link[1]!);
  b.noteSecret(link[1]!);
  return link[0];
};

const passwordField = (page: Page) => page.getByLabel('One-time password');

const servedByBoth = (counts: Record<string, number>) => (counts.a ?? 0) > 0 && (counts.b ?? 0) > 0;

/** Waits until the balancer's log (written as it goes) shows `count` requests matching `request` since `from`. */
async function settled(from: number, request: RegExp, count: number): Promise<void> {
  await expect.poll(() => Object.values(balancer.requestsPerServer(from, request)).reduce((sum, n) => sum + n, 0)).toBeGreaterThanOrEqual(count);
}

/** Tokens the one Bridge simulator issued, per Bridge user. */
async function tokensIssued(): Promise<Record<string, number>> {
  const response = await fetch(`${a.baseURL}/sandbox/bridge/_control/issued-tokens`, { headers: BRIDGE_HEADERS });
  expect(response.status).toBe(200);
  return ((await response.json()) as { tokens_issued: Record<string, number> }).tokens_issued;
}

const openings = (server: TestServer) =>
  server
    .output()
    .split('\n')
    .filter((line) => line.includes('"event":"guidance.opened"')).length;

test('sign up on one instance and go on on the other: every step served by both', async ({ browser }) => {
  const from = balancer.mark();
  const page = await (await throughBalancer(browser)).newPage();
  await readyForGuidance(page, { language: 'en', confirmationLink });
  const perServer = balancer.requestsPerServer(from);
  const actions = balancer.requestsPerServer(from, /^POST /);
  console.log(`requests per instance: ${JSON.stringify(perServer)}; posts (actions, sign-in): ${JSON.stringify(actions)}`);
  expect(perServer.a).toBeGreaterThan(5);
  expect(perServer.b).toBeGreaterThan(5);
  // The session the flow made is the same on both: the dashboard again until each instance has served it.
  const reloads = balancer.mark();
  for (let i = 0; i < 8 && !servedByBoth(balancer.requestsPerServer(reloads, /^GET \/ /)); i++) {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    await settled(reloads, /^GET \/ /, i + 1);
  }
  expect(servedByBoth(balancer.requestsPerServer(reloads, /^GET \/ /))).toBe(true);
});

test('guidance opened on one instance is shown again on the other; the reveal limit counts both; one Bridge token per user', async ({ browser }) => {
  const page = await (await throughBalancer(browser)).newPage();
  await readyForGuidance(page, { language: 'en', confirmationLink });
  const openedBefore = { a: openings(a), b: openings(b) };

  await page.getByRole('button', { name: 'Open my guidance' }).click();
  await expect(passwordField(page)).toBeVisible();
  const password = await passwordField(page).inputValue();
  a.noteSecret(password);
  b.noteSecret(password);
  const [link] = await a.sql<{ user_id: string; bridge_user_uuid: string }>(
    'select user_id, bridge_user_uuid from bridge_users order by created_at desc limit 1',
  );

  // Ten shows again, alternating instances: each shows the password that one instance holds in Redis. Each round
  // is pinned to its instance (the test balancer's rule): the round-robin's turn depends on how many requests the
  // page made in between (its notice stream reconnecting, say), which is not what this test is about.
  const from = balancer.mark();
  for (let shown = 1; shown <= 10; shown++) {
    await page.setExtraHTTPHeaders({ [PIN_HEADER]: shown % 2 ? 'a' : 'b' });
    await page.reload();
    await expect(passwordField(page)).toHaveCount(0);
    await page.getByRole('button', { name: 'Show password again' }).click();
    await expect(passwordField(page)).toHaveValue(password);
    await settled(from, /^POST \/guidance/, shown);
  }
  await page.setExtraHTTPHeaders({});
  const reveals = balancer.requestsPerServer(from, /^POST \/guidance/);
  console.log(`show-again posts per instance: ${JSON.stringify(reveals)}`);
  expect(reveals).toEqual({ a: 5, b: 5 });
  // The eleventh is refused, wherever it lands: the limit is one counter in Redis.
  await page.reload();
  await page.getByRole('button', { name: 'Show password again' }).click();
  await expect(page.getByText(/Too many attempts/)).toBeVisible();
  await expect(passwordField(page)).toHaveCount(0);
  const audit = await a.sql<{ action: string; n: number }>('select action, count(*)::int as n from guidance_audit where user_id = $1 group by action', [
    link!.user_id,
  ]);
  expect(audit).toEqual(
    expect.arrayContaining([
      { action: 'revealed', n: 10 },
      { action: 'reveal_refused', n: 1 },
    ]),
  );

  // A new session on each instance in turn, with the user's one Bridge token.
  for (const instance of ['a', 'b']) {
    await page.setExtraHTTPHeaders({ [PIN_HEADER]: instance });
    await page.getByRole('button', { name: 'I’m done' }).click();
    await expect(page.getByText('Done: the password is deleted from Guidepost.')).toBeVisible();
    await page.getByRole('button', { name: 'Open a new session' }).click();
    await expect(passwordField(page)).toBeVisible();
    const next = await passwordField(page).inputValue();
    a.noteSecret(next);
    b.noteSecret(next);
  }
  await page.setExtraHTTPHeaders({});
  // The instances' logs are files written as they go.
  await expect.poll(() => Math.min(openings(a) - openedBefore.a, openings(b) - openedBefore.b)).toBeGreaterThan(0);
  const perInstance = { a: openings(a) - openedBefore.a, b: openings(b) - openedBefore.b };
  console.log(`guidance sessions opened per instance: ${JSON.stringify(perInstance)}`);
  expect(perInstance.a).toBeGreaterThan(0);
  expect(perInstance.b).toBeGreaterThan(0);
  const issued = await tokensIssued();
  console.log(`Bridge token calls for this user across both instances: ${issued[link!.bridge_user_uuid]}`);
  expect(issued[link!.bridge_user_uuid]).toBe(1);
});

test('a webhook received by one instance pushes its notice to a tab connected to the other; the worker acts on it once', async ({ browser }) => {
  const context = await throughBalancer(browser);
  const page = await context.newPage();
  await readyForGuidance(page, { language: 'en', confirmationLink });
  await page.getByRole('button', { name: 'Open my guidance' }).click();
  await expect(passwordField(page)).toBeVisible();
  a.noteSecret(await passwordField(page).inputValue());
  const [link] = await a.sql<{ user_id: string; bridge_user_uuid: string }>(
    'select user_id, bridge_user_uuid from bridge_users order by created_at desc limit 1',
  );

  // A tab on instance A itself (the session cookie is the same site's), connected to A's stream of pushed notices.
  const tab = await context.newPage();
  const listed: string[] = [];
  tab.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/notifications') listed.push(request.url());
  });
  const streaming = tab.waitForResponse((response) => response.url() === `${a.baseURL}/api/events` && response.status() === 200);
  await tab.goto(`${a.baseURL}/`);
  await expect(tab.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await streaming;

  // Bridge delivers to B, whose worker writes the notice: A's tab hears of it through the bus (Redis), without asking
  // for the list (the fallback poll would). The time is printed (and measured by `npm run bench:sse`); the wait allows
  // for CI's shared cores.
  const event = {
    type: 'guidance.health.ready',
    content: { user_id: link!.bridge_user_uuid, company_identification_number: '529196313' },
    timestamp: Date.now(),
  };
  const fromA = a.output().length;
  const fromB = b.output().length;
  const sent = Date.now();
  expect((await signedWebhook(b, event)).status).toBe(200);
  await expect(tab.getByText(NOTICE)).toBeVisible();
  console.log(`webhook to B → notice in a tab on A: ${Date.now() - sent} ms`);
  expect(listed).toEqual([]);
  // Logged once the email is queued too, a moment after the tab heard.
  await expect.poll(() => b.output().slice(fromB)).toContain('"event":"webhook.bridge.guidance_ready"');
  expect(a.output().slice(fromA)).not.toContain('"event":"webhook.bridge.guidance_ready"');
  // Then (a retry, or a second delivery) the same event reaches A: nothing more is done.
  expect((await signedWebhook(a, event)).status).toBe(200);

  await expect
    .poll(
      async () =>
        (await a.sql('select id from webhook_events where processed_at is not null and payload::text like $1', [`%${link!.bridge_user_uuid}%`])).length,
    )
    .toBe(1);
  const events = await a.sql<{ attempts: number }>('select attempts from webhook_events where payload::text like $1', [`%${link!.bridge_user_uuid}%`]);
  expect(events).toEqual([{ attempts: 1 }]);
  expect(await a.sql('select id from notifications where user_id = $1', [link!.user_id])).toHaveLength(1);
});

test('login limits count attempts on both instances once: the sixth wrong password is refused', async ({ browser }) => {
  const context = await throughBalancer(browser);
  const page = await context.newPage();
  const { email } = await signUp(page, undefined, undefined, confirmationLink);
  await logOut(page);
  // A new browser: no known-device cookie.
  const stranger = await (await throughBalancer(browser)).newPage();
  await stranger.goto('/login');
  const from = balancer.mark();
  const answered = () => stranger.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/login');
  // Attempts alternate instances, pinned (the balancer's test rule) so that neither takes them all.
  for (let attempt = 1; attempt <= 5; attempt++) {
    await stranger.setExtraHTTPHeaders({ [PIN_HEADER]: attempt % 2 ? 'a' : 'b' });
    await Promise.all([answered(), logIn(stranger, email, `wrong-guess-${attempt}-lantern`)]);
    await expect(stranger.getByText('The email or password is not right.')).toBeVisible();
  }
  const tries = balancer.requestsPerServer(from, /^POST \/login/);
  console.log(`wrong-password posts per instance: ${JSON.stringify(tries)}`);
  expect(tries).toEqual({ a: 3, b: 2 });
  // Even the right password now waits, whichever instance takes it.
  await stranger.setExtraHTTPHeaders({});
  await logIn(stranger, email, PASSWORD);
  await expect(stranger.getByText(/Too many attempts/)).toBeVisible();
  await expect(stranger).toHaveURL(/\/login/);
});
