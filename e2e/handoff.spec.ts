import { expect, expectAccessible, PASSWORD, signUp, test, watchCsp, visitorIp } from './fixtures';
import { JPEG, PDF, personalStep, productStep, startCard } from './flows';
import { newPhone, noteHandoffLink } from './handoff-tokens';
import { TestServer } from './server';
import type { Page } from '@playwright/test';

// "Continue on my phone": the desktop shows a QR code and a short link for the photo step; a phone opens
// it without the password, sends the step, and the desktop moves on by itself. The link works once.

const REFUSAL = 'This link has already been used or has expired. Start again from your computer.';
const LINK_SHAPE = /^http:\/\/127\.0\.0\.1:\d+\/h\/[A-Za-z0-9_-]{22}$/;

/** Makes a link on the desktop and reads it from the page, as someone copying it would. */
async function makeLink(desktop: Page, button = 'Continue on my phone'): Promise<string> {
  await desktop.getByRole('button', { name: button }).click();
  await expect(desktop.getByRole('img', { name: 'QR code that opens this step on your phone' })).toBeVisible();
  const link = await desktop.getByLabel('Link for your phone').inputValue();
  expect(link).toMatch(LINK_SHAPE);
  return link;
}

test('the desktop hands the document step to a phone, which sends it without logging in; the desktop moves on by itself', async ({ page, browser }) => {
  // Two browsers through a whole wizard: more than the default minute on a busy machine.
  test.slow();
  const baseURL = test.info().project.use.baseURL!;
  const { email } = await signUp(page);
  await startCard(page);
  await productStep(page);
  await personalStep(page);

  const panel = page.getByRole('region', { name: 'Rather use your phone?' });
  await expect(panel).toBeVisible();
  const link = await makeLink(page);
  noteHandoffLink(link);
  await expect(panel.getByText(/^The link works once, until \d{1,2}:\d{2}/)).toBeVisible();
  await expect(panel.getByRole('status').filter({ hasText: 'Waiting for your phone.' })).toBeVisible();
  await expect(page.getByLabel('Link for your phone')).toBeFocused();
  await expectAccessible(page);

  const phone = await (await newPhone(browser, { baseURL, locale: 'en-US' })).newPage();
  await phone.goto(link);
  // Taken at once, and the token is gone from the address.
  await expect(phone).toHaveURL(`${baseURL}/handoff`);
  await expect(phone.getByRole('heading', { level: 1, name: 'Identity document' })).toBeVisible();
  await expect(phone.getByText(`Business credit card, for ${email}.`)).toBeVisible();
  await expectAccessible(phone);
  await expect(panel.getByRole('status').filter({ hasText: 'Your phone opened this step.' })).toBeVisible();

  // The phone's session opens this step and nothing else of the portal.
  for (const path of ['/guidance', '/settings/account', '/onboarding', '/']) {
    await phone.goto(path);
    await expect(phone, path).toHaveURL(`${baseURL}/login`);
  }
  expect((await phone.request.get('/api/notifications')).status()).toBe(401);

  await phone.goto('/handoff');
  await phone.getByLabel('Document type').selectOption('passport');
  await phone.getByLabel('Passport photo page').setInputFiles({ name: 'passport.pdf', mimeType: 'application/pdf', buffer: PDF });
  await phone.getByRole('button', { name: 'Upload and continue' }).click();
  await expect(phone.getByRole('heading', { level: 1, name: 'Sent from your phone' })).toBeVisible();
  await expect(phone).toHaveURL(`${baseURL}/handoff/done`);

  // The desktop follows without a reload, to the selfie, which offers the phone again.
  await expect(page.getByText('Step 4 of 4')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('button', { name: 'Continue on my phone' })).toBeVisible();

  // The phone's session ended with its step.
  await phone.goto('/handoff');
  await expect(phone.getByText(REFUSAL)).toBeVisible();

  // The same link again, on another phone: refused, and nobody is logged in.
  const other = await (await newPhone(browser, { baseURL, locale: 'en-US' })).newPage();
  const again = await other.goto(link);
  expect(again?.status()).toBe(404);
  await expect(other.getByRole('heading', { level: 1, name: 'This link no longer works' })).toBeVisible();
  await expect(other.getByText(REFUSAL)).toBeVisible();
  await expect(other).toHaveTitle('Link no longer valid · Guidepost');
  await expectAccessible(other);
  await other.goto('/onboarding');
  await expect(other).toHaveURL(`${baseURL}/login`);

  // The desktop finishes on its own; its session was never touched.
  await page.getByLabel('Selfie').setInputFiles({ name: 'me.jpg', mimeType: 'image/jpeg', buffer: JPEG });
  await page.getByRole('button', { name: 'Upload and continue' }).click();
  await expect(page.getByRole('heading', { name: 'Onboarding complete' })).toBeVisible();
});

test('the panel is for photo steps on desktops: on a phone-sized screen the page itself is the phone', async ({ page }) => {
  test.slow();
  await signUp(page);
  await startCard(page);
  // A form step: nothing to photograph.
  await expect(page.getByRole('button', { name: 'Continue on my phone' })).toHaveCount(0);
  await productStep(page);
  await personalStep(page);
  await expect(page.getByRole('button', { name: 'Continue on my phone' })).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByRole('button', { name: 'Continue on my phone' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Upload and continue' })).toBeVisible();
});

test('an unknown link is refused like a used one', async ({ page }) => {
  const response = await page.goto('/h/AAAAAAAAAAAAAAAAAAAAAA');
  expect(response?.status()).toBe(404);
  await expect(page.getByText(REFUSAL)).toBeVisible();
  const malformed = await page.goto('/h/not-a-token');
  expect(malformed?.status()).toBe(404);
  await expect(page.getByText(REFUSAL)).toBeVisible();
});

test.describe('links that ran out', () => {
  // A server of its own on PostgreSQL, so the test can move a link's expiry as ten minutes would.
  let server: TestServer;
  test.beforeAll(async () => {
    server = await TestServer.start({ database: 'postgres' });
  });
  test.afterAll(async () => {
    await server?.dispose();
  });

  test('an expired link is refused, the desktop says so, and a new link replaces it', async ({ browser }) => {
    test.slow();
    const desktop = await (
      await watchCsp(await browser.newContext({ baseURL: server.baseURL, extraHTTPHeaders: { 'X-Forwarded-For': visitorIp() } }))
    ).newPage();
    await signUp(desktop, undefined, PASSWORD);
    await startCard(desktop);
    await productStep(desktop);
    await personalStep(desktop);
    const expired = await makeLink(desktop);
    await server.sql(`update phone_handoffs set expires_at = now() - interval '1 second' where used_at is null`);

    const phone = await (await newPhone(browser, { baseURL: server.baseURL, locale: 'en-US' })).newPage();
    const refused = await phone.goto(expired);
    expect(refused?.status()).toBe(404);
    await expect(phone.getByText(REFUSAL)).toBeVisible();
    await expect(desktop.getByRole('status').filter({ hasText: 'The link has expired. Make a new one to continue on your phone.' })).toBeVisible({
      timeout: 15_000,
    });

    // A new link works, and the one before it never will again.
    const fresh = await makeLink(desktop, 'Make a new link');
    expect(fresh).not.toBe(expired);
    await phone.goto(fresh);
    await expect(phone.getByRole('heading', { level: 1, name: 'Identity document' })).toBeVisible();
    await expect(desktop.getByRole('status').filter({ hasText: 'Your phone opened this step.' })).toBeVisible();

    // Neither token reached the server's log.
    const log = server.output();
    for (const link of [expired, fresh]) expect(log).not.toContain(new URL(link).pathname.split('/').at(-1)!);
  });
});
