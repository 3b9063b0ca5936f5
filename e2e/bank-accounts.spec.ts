import type { Page } from '@playwright/test';
import { expect, expectAccessible, signUp, test } from './fixtures';
import { deviceOn, finqwareArrivals, finqwareConsents, finqwareFaults, finqwareKnobs } from './faults';
import { TestServer } from './server';

// What an account-information consent unlocks (issue #13): the accounts page, an account's transactions, the CSV
// export, and what revoking leaves. The refresh tests run on a server of their own: they make transactions arrive at the
// sandbox bank and script its faults, which the shared server's other specs must not see.

const MASKED_IBAN = /^FR\d{2} •••• \d{4}$/;
// What a browser sends; Playwright's request context sends no Accept-Language (the portal would answer in French).
const ENGLISH = { headers: { 'Accept-Language': 'en-US,en;q=0.9' } };
const ACCOUNT_URL = /\/accounts\/[0-9a-f-]{36}$/;
const GONE = 'This account is not shared with Guidepost, or its consent has ended and its data has been deleted.';

async function connectBank(page: Page): Promise<void> {
  await page.goto('/onboarding');
  await page.getByRole('button', { name: 'Start Account information (sandbox bank)' }).click();
  await page.getByLabel('I consent to Guidepost receiving my account information').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Onboarding complete' })).toBeVisible();
}

/** The count line above an account's transactions, as a number. */
async function shownCount(page: Page): Promise<number> {
  const text = await page
    .getByRole('status')
    .filter({ hasText: /transactions?( match)?$/ })
    .innerText();
  return Number(text.replace(/[^\d]/g, ''));
}

test('after the onboarding: accounts and balances, transactions paged and filtered, a CSV download, and nothing left once revoked', async ({ page }) => {
  test.setTimeout(180_000);
  await signUp(page);
  await connectBank(page);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Banking' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bank accounts' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'XYZ Bank (sandbox)' })).toBeVisible();
  await expect(page.getByText(/^Last refresh: /)).toBeVisible();
  const accounts = page.getByRole('table', { name: 'Accounts at XYZ Bank (sandbox)' });
  await expect(accounts.getByRole('row')).toHaveCount(4);
  const current = accounts.getByRole('row').filter({ hasText: 'Current account' });
  await expect(current.getByRole('cell').first()).toHaveText(MASKED_IBAN);
  // Balances in the user's locale, with the currency; what the card owes is a debit, shown with its minus sign.
  await expect(current.getByRole('cell').nth(2)).toHaveText(/^-?€[\d,]+\.\d{2}$/);
  await expect(accounts.getByRole('row').filter({ hasText: 'Business credit card' }).getByRole('cell').nth(2)).toHaveText(/^-€[\d,]+\.\d{2}$/);
  // The full IBAN is nowhere on the page.
  expect(await page.getByRole('main').innerText()).not.toMatch(/FR\d{25}/);
  await expectAccessible(page);

  await current.getByRole('link', { name: 'Current account transactions' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Current account' })).toBeVisible();
  const total = await shownCount(page);
  expect(total).toBeGreaterThan(300);
  const rows = page.getByRole('table', { name: 'Transactions, newest first' }).getByRole('row');
  await expect(rows).toHaveCount(51);
  const pages = Math.ceil(total / 50);
  await expect(page.getByText(`Page 1 of ${pages}`)).toBeVisible();
  // Newest first: every date on the page is on or before the one above it.
  const dates = await rows.locator('time').evaluateAll((times) => times.map((time) => time.getAttribute('datetime')!));
  expect(dates).toEqual([...dates].sort().reverse());
  await expectAccessible(page);
  await page.getByRole('navigation', { name: 'Pages of transactions' }).getByRole('link', { name: 'Next page' }).click();
  await expect(page.getByText(`Page 2 of ${pages}`)).toBeVisible();
  const secondPageFirst = await rows.nth(1).locator('time').getAttribute('datetime');
  expect(secondPageFirst! <= dates.at(-1)!).toBe(true);

  // A search whatever the case, then narrowed to a quarter.
  await page.getByLabel('Label contains').fill('urssaf');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByRole('status').filter({ hasText: /transactions? match$/ })).toBeVisible();
  const urssaf = await shownCount(page);
  expect(urssaf).toBeGreaterThanOrEqual(11);
  expect(urssaf).toBeLessThanOrEqual(13);
  for (const label of await rows.locator('td:nth-child(2)').allInnerTexts()) expect(label).toContain('URSSAF');
  const latest = new Date((await rows.nth(1).locator('time').getAttribute('datetime'))!);
  const from = new Date(latest.getTime() - 100 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
  await page.getByLabel('From').fill(from);
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(new RegExp(`from=${from}`));
  const quarter = await shownCount(page);
  expect(quarter).toBeLessThan(urssaf);
  expect(quarter).toBeGreaterThanOrEqual(2);

  // An end before the start is said next to the field, with what was typed kept.
  await page.getByLabel('To').fill('2020-01-01');
  await page.getByRole('button', { name: 'Show' }).click();
  const to = page.getByLabel('To');
  await expect(to).toHaveAttribute('aria-invalid', 'true');
  await expect(to).toHaveAccessibleDescription('The end date must be on or after the start date.');
  await expect(to).toHaveValue('2020-01-01');
  await expect(page.getByLabel('Label contains')).toHaveValue('urssaf');
  await expectAccessible(page);
  await to.fill('');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByLabel('To')).not.toHaveAttribute('aria-invalid', 'true');

  // The CSV holds what the filters show, oldest first, with the decimal comma asked for.
  await page.getByLabel(/^Comma/).check();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^transactions-\d{4}-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString('utf8'));
  expect(csv.startsWith('\uFEFFDate;Label;Amount;Currency;Status\r\n')).toBe(true);
  const lines = csv.slice(1).trimEnd().split('\r\n').slice(1);
  expect(lines).toHaveLength(quarter);
  for (const line of lines) expect(line).toMatch(/^\d{4}-\d{2}-\d{2};[^;]*URSSAF[^;]*;-\d+,\d{2};EUR;(Booked|Pending)$/);
  expect(lines.map((line) => line.slice(0, 10))).toEqual(lines.map((line) => line.slice(0, 10)).sort());
  const accountUrl = page.url().split('?')[0]!;

  // Revoked: the accounts page says so and shows nothing of the data; the account's page and its CSV are gone.
  await page.getByRole('link', { name: 'All accounts' }).click();
  await page.getByRole('link', { name: /Manage or revoke this consent/ }).click();
  await page.getByRole('button', { name: 'Revoke consent' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Yes, revoke my consent' }).click();
  await expect(page.getByRole('heading', { name: 'Consent revoked' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Banking' }).click();
  await expect(page.getByText(/^This consent was revoked on .+\. Its data has been deleted\.$/)).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Refresh/ })).toHaveCount(0);
  await expectAccessible(page);
  await page.goto(accountUrl);
  await expect(page.getByText(GONE)).toBeVisible();
  const gone = await page.request.get(`${accountUrl.replace('/accounts/', '/api/accounts/')}/transactions?decimal=comma`, ENGLISH);
  expect(gone.status()).toBe(404);
  expect(await gone.json()).toEqual({ error: 'not_found', message: 'This account was not found, or its consent has ended.' });
});

test('the CSV export refuses a stranger, an unknown account and bad filters with a clear answer', async ({ page, browser }) => {
  await signUp(page);
  await connectBank(page);
  await page.goto('/accounts');
  await page.getByRole('link', { name: 'Current account transactions' }).click();
  await expect(page).toHaveURL(ACCOUNT_URL);
  const csvUrl = `${page.url().replace('/accounts/', '/api/accounts/')}/transactions`;

  expect((await page.request.get(`${csvUrl}?decimal=semicolon`, ENGLISH)).status()).toBe(400);
  const badDate = await page.request.get(`${csvUrl}?from=2026-02-30`, ENGLISH);
  expect(badDate.status()).toBe(400);
  expect(((await badDate.json()) as { message: string }).message).toMatch(/^The filters are not valid: from: Enter a date like/);
  expect((await page.request.get(`${csvUrl.replace(/[0-9a-f-]{36}/, '00000000-0000-4000-8000-000000000000')}`, ENGLISH)).status()).toBe(404);

  // Someone else, logged in: the same 404 as an unknown account; nobody logged in: 401.
  const stranger = await (await browser.newContext()).newPage();
  await signUp(stranger);
  const refused = await stranger.request.get(csvUrl, ENGLISH);
  expect(refused.status()).toBe(404);
  const anonymous = await (await browser.newContext()).request.get(csvUrl, ENGLISH);
  expect(anonymous.status()).toBe(401);
  expect(await anonymous.json()).toEqual({ error: 'unauthenticated', message: 'Log in to download transactions.' });
  await stranger.goto(page.url());
  await expect(stranger.getByText(GONE)).toBeVisible();
});

test.describe('refreshing', () => {
  let server: TestServer;
  test.beforeEach(async () => {
    server = await TestServer.start();
  });
  test.afterEach(async () => {
    await server.dispose();
  });

  test('new transactions arrive on Refresh; a refusal from the bank is said in our words with a reference, and the data stays', async ({ browser }) => {
    test.setTimeout(180_000);
    const page = await (await deviceOn(browser, server)).newPage();
    await signUp(page);
    await connectBank(page);
    await page.goto('/accounts');
    await page.getByRole('link', { name: 'Current account transactions' }).click();
    await expect(page).toHaveURL(ACCOUNT_URL);
    const before = await shownCount(page);
    const accountPage = page.url();

    const [consent] = await finqwareConsents(server);
    await finqwareArrivals(server, { tenant_user_id: consent!.tenant_user_id, count: 3 });
    await page.goto('/accounts');
    await page.getByRole('button', { name: 'Refresh XYZ Bank (sandbox)' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Your accounts were read just now.' })).toBeVisible();
    await page.goto(accountPage);
    // Three arrived across the three accounts, so 0 to 3 on this one; never one twice.
    const after = await shownCount(page);
    expect(after).toBeGreaterThanOrEqual(before);
    expect(after).toBeLessThanOrEqual(before + 3);

    await finqwareFaults(server, [{ operation: 'POST /transactions/get', action: 'error', code: 'inactive_credentials' }]);
    await page.goto('/accounts');
    await page.getByRole('button', { name: 'Refresh XYZ Bank (sandbox)' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'The accounts could not be read just now. What was read before is kept.' })).toBeVisible();
    const failure = page.getByRole('alert').filter({ hasText: 'The bank no longer accepts this consent.' });
    await expect(failure).toContainText(/Reference for support: \S+/);
    await expect(page.getByRole('table', { name: 'Accounts at XYZ Bank (sandbox)' }).getByRole('row')).toHaveCount(4);
    await expectAccessible(page);
    await page.goto(accountPage);
    expect(await shownCount(page)).toBe(after);

    // The bank unreachable (on every attempt: the client retries what Finqware calls retryable), then back: the next
    // refresh clears the sentence.
    await finqwareFaults(server, [{ operation: 'POST /accounts/get', action: 'error', code: 'external_api_connection_error', times: 3 }]);
    await page.goto('/accounts');
    await page.getByRole('button', { name: 'Refresh XYZ Bank (sandbox)' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'The bank could not be reached just now.' })).toBeVisible();
    await page.getByRole('button', { name: 'Refresh XYZ Bank (sandbox)' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Your accounts were read just now.' })).toBeVisible();
    await expect(page.getByRole('main').getByRole('alert')).toHaveCount(0);

    // Five refreshes in ten minutes: the sixth is refused until the window ends, and nothing else changes.
    await page.getByRole('button', { name: 'Refresh XYZ Bank (sandbox)' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Your accounts were read just now.' })).toBeVisible();
    await page.getByRole('button', { name: 'Refresh XYZ Bank (sandbox)' }).click();
    await expect(page.getByRole('alert').filter({ hasText: /^You refreshed several times in a short while\. Try again in \d+ minutes?\.$/ })).toBeVisible();
  });

  test('a slow bank does not hold the first visit: the page says the accounts are being read and shows them when they land', async ({ browser }) => {
    const page = await (await deviceOn(browser, server)).newPage();
    await signUp(page);
    // Each Finqware call takes two seconds from here: the first read (five calls) outlasts the page's five-second wait,
    // whoever starts it (this visit, or the background refresh right after the onboarding).
    await finqwareKnobs(server, { latency_ms: 2000 });
    try {
      await connectBank(page);
      await page.goto('/accounts');
      const reading = page.getByRole('status').filter({ hasText: 'Guidepost is reading your accounts from the bank for the first time.' });
      await expect(reading).toBeVisible();
      await expect(page.getByText('The bank shares no account through this consent.')).toHaveCount(0);
      await expectAccessible(page);
      // No reload: the page asks again while the read is under way.
      const accounts = page.getByRole('table', { name: 'Accounts at XYZ Bank (sandbox)' });
      await expect(accounts.getByRole('row')).toHaveCount(4, { timeout: 30_000 });
      await expect(reading).toHaveCount(0);
      await expect(page.getByText(/^Last refresh: /)).toBeVisible();
    } finally {
      await finqwareKnobs(server, { latency_ms: 0 });
    }
  });

  test('Refresh pressed in two tabs at once reads the bank once: the second tab is told a refresh is under way', async ({ browser }) => {
    const context = await deviceOn(browser, server);
    const first = await context.newPage();
    await signUp(first);
    await connectBank(first);
    await first.goto('/accounts');
    const second = await context.newPage();
    await second.goto('/accounts');
    // Each Finqware call now takes a second: a read (five calls) lasts long enough for the other tab's click to meet it.
    await finqwareKnobs(server, { latency_ms: 1000 });
    await first.getByRole('button', { name: 'Refresh XYZ Bank (sandbox)' }).click();
    await expect(first.getByRole('button', { name: /A refresh is under way/ })).toBeVisible();
    await second.getByRole('button', { name: 'Refresh XYZ Bank (sandbox)' }).click();
    await expect(second.getByRole('status').filter({ hasText: 'A refresh of these accounts is already under way.' })).toBeVisible();
    await expect(first.getByRole('status').filter({ hasText: 'Your accounts were read just now.' })).toBeVisible({ timeout: 20_000 });
    await finqwareKnobs(server, { latency_ms: 0 });
  });
});

test.describe('a server killed mid-read', () => {
  // Two instances on one PostgreSQL database, both calling the Finqware simulator in A (a server finds its simulators at
  // PORT): B, the one the user's browser talks to, is killed while it reads the bank, and the simulator (and the consent
  // it granted) lives on, as the real Finqware would.
  let a: TestServer;
  let b: TestServer;
  test.beforeEach(async () => {
    a = await TestServer.start();
    b = await TestServer.start({ sharedWith: a, env: { PORT: String(a.port) } });
  });
  test.afterEach(async () => {
    await b?.dispose();
    await a?.dispose();
  });

  test('keeps the accounts read before, says a read is under way, and reads again within a minute of the restart', async ({ browser }) => {
    test.setTimeout(300_000);
    const page = await (await deviceOn(browser, b)).newPage();
    await signUp(page);
    await connectBank(page);
    await page.goto('/accounts');
    const accounts = page.getByRole('table', { name: 'Accounts at XYZ Bank (sandbox)' });
    await expect(accounts.getByRole('row')).toHaveCount(4);
    const before = await accounts.innerText();
    const leased = () => b.sql<{ syncing_since: Date | null }>('select syncing_since from finqware_credentials').then(([row]) => row?.syncing_since ?? null);

    // Each Finqware call takes three seconds: the read (five calls) is under way when B is killed.
    await finqwareKnobs(a, { latency_ms: 3000 });
    await page.getByRole('button', { name: 'Refresh XYZ Bank (sandbox)' }).click();
    await expect.poll(leased).not.toBeNull();
    await b.restart('SIGKILL');
    await finqwareKnobs(a, { latency_ms: 0 });

    // Back up: nothing held was lost or half-written, and the page says a read holds the consent (the dead one's lease).
    await page.goto('/accounts');
    await expect(accounts.getByRole('row')).toHaveCount(4);
    expect(await accounts.innerText()).toBe(before);
    await expect(page.getByText('A refresh is under way.')).toBeVisible();
    await expect(page.getByRole('main').getByRole('alert')).toHaveCount(0);
    const killedAt = Date.now();

    // Its lease runs out within a minute of its last renewal, and Refresh reads again.
    await expect(async () => {
      await page.reload();
      await expect(page.getByText('A refresh is under way.')).toHaveCount(0, { timeout: 1_000 });
    }).toPass({ timeout: 90_000, intervals: [5_000] });
    console.log(`consent free again ${Math.round((Date.now() - killedAt) / 1000)} s after the restart`);
    await page.getByRole('button', { name: 'Refresh XYZ Bank (sandbox)' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Your accounts were read just now.' })).toBeVisible();
    await expect(accounts.getByRole('row')).toHaveCount(4);
    expect(await leased()).toBeNull();
  });
});
