import type { BrowserContext, Page, Request, Response } from '@playwright/test';
import { expect, expectAccessible, test } from './fixtures';
import { bridgeUsers, deviceOn, signedWebhook } from './faults';
import { readyForGuidance } from './flows';
import { TestServer } from './server';

// A guidance-ready notice is pushed (GET /api/events, server-sent events) to every open tab of its user right after
// the webhook, without a reload: one stream per browser, shared by its tabs, so eight tabs still navigate;
// and after the server restarts, the stream comes back by itself. On a server of the spec's own, on PGlite: the
// bus is the process's own, shared by the build's copies of lib/ (the webhook worker's and the route's).
// e2e/multi-instance.spec.ts checks the same across two instances (Redis).

const NOTICE = 'New guidance is ready for Acme Conseil';
// A push arrives in well under a second (the time is printed); the wait allows for CI's two shared cores, where eight
// tabs' renderers and the other worker's browser queue behind one another (1.5 s failed there at random). What
// proves the notice was pushed, not fetched, is that no tab asked for the list meanwhile: the fallback poll
// (a minute) could only meet this by asking.
const PUSHED_WITHIN_MS = 10_000;
// How long a tab that must hear nothing is watched.
const QUIET_MS = 3_000;

let server: TestServer;
test.beforeEach(async () => {
  server = await TestServer.start({ database: 'pglite' });
});
test.afterEach(async () => {
  await server.dispose();
});

/** A user whose Bridge user is linked (guidance opened once), on their dashboard; their Bridge user's id. */
async function linkedUser(page: Page): Promise<string> {
  await readyForGuidance(page, { language: 'en' });
  await page.getByRole('button', { name: 'Open my guidance' }).click();
  await expect(page.getByLabel('One-time password')).toBeVisible();
  server.noteSecret(await page.getByLabel('One-time password').inputValue());
  const [bridgeUser] = await bridgeUsers(server);
  return bridgeUser!.uuid;
}

/** Every request the context's tabs make to a path, as they are made. */
function requestsTo(context: BrowserContext, path: string): Request[] {
  const seen: Request[] = [];
  context.on('request', (request) => {
    if (new URL(request.url()).pathname === path) seen.push(request);
  });
  return seen;
}

const streamOpened = (context: BrowserContext) =>
  context.waitForEvent('response', { predicate: (response: Response) => new URL(response.url()).pathname === '/api/events' && response.status() === 200 });

const guidanceReady = (bridgeUserUuid: string) => ({
  type: 'guidance.health.ready',
  content: { user_id: bridgeUserUuid, company_identification_number: '529196313' },
  timestamp: Date.now(),
});

test('a webhook’s notice is pushed to eight open tabs through one stream; the tabs still navigate; a dismissal reaches them all', async ({ browser }) => {
  // Eight tabs, each rendered and checked: 60–110 s on CI's two shared cores.
  test.setTimeout(240_000);
  const context = await deviceOn(browser, server);
  const first = await context.newPage();
  const bridgeUserUuid = await linkedUser(first);

  const streams = requestsTo(context, '/api/events');
  const lists = requestsTo(context, '/api/notifications');
  const opened = streamOpened(context);
  await first.goto('/');
  const tabs = [first];
  for (const path of ['/', '/guidance', '/onboarding', '/settings/company', '/settings/account', '/', '/guidance']) {
    const tab = await context.newPage();
    await tab.goto(path);
    await expect(tab.getByRole('heading', { level: 1 })).toBeVisible();
    tabs.push(tab);
  }
  await opened;
  // One stream for the browser, not one per tab: HTTP/1.1 allows six connections per site.
  expect(streams).toHaveLength(1);

  const listsBefore = lists.length;
  const sent = Date.now();
  expect((await signedWebhook(server, guidanceReady(bridgeUserUuid))).status).toBe(200);
  await Promise.all(tabs.map((tab) => expect(tab.getByText(NOTICE)).toBeVisible({ timeout: PUSHED_WITHIN_MS })));
  console.log(`webhook → notice shown in all ${tabs.length} tabs: ${Date.now() - sent} ms`);
  // Pushed, not polled: no tab asked for the list.
  expect(lists).toHaveLength(listsBefore);
  await expectAccessible(tabs[3]!);

  // With the stream open, the eighth tab goes on as usual: its navigation does not wait for a connection.
  const last = tabs.at(-1)!;
  await last.getByRole('link', { name: 'Dashboard' }).click();
  await expect(last.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible({ timeout: 5_000 });
  await last.reload();
  await expect(last.getByText(NOTICE)).toBeVisible({ timeout: PUSHED_WITHIN_MS });

  // Dismissed in one tab: gone from every other.
  await tabs[2]!.getByRole('button', { name: 'Dismiss' }).click();
  await Promise.all(tabs.map((tab) => expect(tab.getByText(NOTICE)).toHaveCount(0, { timeout: PUSHED_WITHIN_MS })));

  // The tab holding the stream closes: another takes it over, and notices still arrive everywhere.
  const leaderTaken = streamOpened(context);
  for (const tab of tabs.splice(0, 4)) await tab.close();
  await leaderTaken.catch(() => undefined);
  expect((await signedWebhook(server, guidanceReady(bridgeUserUuid))).status).toBe(200);
  await Promise.all(tabs.map((tab) => expect(tab.getByText(NOTICE)).toBeVisible({ timeout: PUSHED_WITHIN_MS })));
});

test('after the server restarts, the tab reconnects by itself and gets the next notice pushed', async ({ browser }) => {
  const context = await deviceOn(browser, server);
  const page = await context.newPage();
  const bridgeUserUuid = await linkedUser(page);
  const firstStream = streamOpened(context);
  await page.goto('/');
  await firstStream;

  // A clean stop does not wait for the open stream: it is ended at once, and the process exits 0 within seconds.
  const stopping = Date.now();
  expect(await server.signal('SIGTERM')).toBe(0);
  expect(Date.now() - stopping).toBeLessThan(10_000);
  const reconnected = streamOpened(context);
  await server.boot();
  await reconnected;

  const lists = requestsTo(context, '/api/notifications');
  const sent = Date.now();
  expect((await signedWebhook(server, guidanceReady(bridgeUserUuid))).status).toBe(200);
  await expect(page.getByText(NOTICE)).toBeVisible({ timeout: PUSHED_WITHIN_MS });
  console.log(`after a restart, webhook → notice: ${Date.now() - sent} ms`);
  expect(lists).toHaveLength(0);
  // No reload happened: the page is the one opened before the restart.
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
});

test('logging out in one tab ends the stream: the other tab stops hearing, and a webhook then shows nothing', async ({ browser }) => {
  const context = await deviceOn(browser, server);
  const page = await context.newPage();
  const bridgeUserUuid = await linkedUser(page);
  const other = await context.newPage();
  const opened = streamOpened(context);
  await other.goto('/guidance');
  await page.goto('/');
  await opened;

  const streams = requestsTo(context, '/api/events');
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login/);
  // The other tab's stream ended; its one attempt to come back was refused (the session has ended), and it stays quiet.
  await expect.poll(async () => Promise.all(streams.map(async (request) => (await request.response())?.status()))).toContain(401);
  const attempts = streams.length;
  expect((await signedWebhook(server, guidanceReady(bridgeUserUuid))).status).toBe(200);
  await other.waitForTimeout(QUIET_MS);
  await expect(other.getByText(NOTICE)).toHaveCount(0);
  expect(streams).toHaveLength(attempts);
});
