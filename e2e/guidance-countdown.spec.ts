import type { Page } from '@playwright/test';
import { expect, expectAccessible, test } from './fixtures';
import { deviceOn } from './faults';
import { readyForGuidance } from './flows';
import { TestServer } from './server';

// The countdown's end, on a server of its own whose passwords live 30 seconds (the shortest GUIDANCE_PASSWORD_TTL_SECONDS
// allows). Every load is server-rendered and hydrated while the clock ticks: the countdown once read the clock while
// rendering, and the server's HTML and the browser's first render differed (React error #418) on some loads.

const TTL_SECONDS = 30;
const passwordField = (page: Page) => page.getByLabel('One-time password');
const onBridge = (page: Page) => page.getByRole('link', { name: /Open my guidance on Bridge/ });

let server: TestServer;
test.beforeAll(async () => {
  server = await TestServer.start({ database: 'pglite', env: { GUIDANCE_PASSWORD_TTL_SECONDS: String(TTL_SECONDS) } });
});
test.afterAll(async () => {
  await server.dispose();
});

test('at zero the password leaves the screen and the buttons match, with no hydration error on any load', async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await (await deviceOn(browser, server)).newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await readyForGuidance(page);

  await page.getByRole('button', { name: 'Open my guidance' }).click();
  await expect(passwordField(page)).toBeVisible();
  const opened = Date.now();
  // Loads half a second apart land on every part of a second: before, about one in three failed hydration.
  for (let load = 0; load < 6 && Date.now() - opened < 12_000; load++) {
    await page.reload();
    await expect(page.getByRole('timer')).toHaveText(/^0:[0-3]\d$/);
    await expect(onBridge(page)).toBeVisible();
    await page.waitForTimeout(500);
  }
  await page.getByRole('button', { name: 'Show password again' }).click();
  await expect(passwordField(page)).toBeFocused();

  // Zero: the password goes, and so do the buttons that only a held password has.
  await expect(passwordField(page)).toHaveCount(0, { timeout: (TTL_SECONDS + 5) * 1000 });
  await expect(
    page.getByText('The password of your last session has expired and can no longer be shown. Open a new session to get a new password.'),
  ).toBeVisible();
  for (const name of ['Show password again', 'I’m done', 'I think the password leaked']) await expect(page.getByRole('button', { name })).toHaveCount(0);
  await expect(onBridge(page)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Open a new session' })).toHaveClass(/bg-blue-800/);
  // The session's true state, and the expiry the server records when the page asks again by itself.
  await expect(page.getByText('Password expired', { exact: true })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Password expired' })).toBeVisible();
  await expectAccessible(page);

  await page.reload();
  await expect(
    page.getByText('The password of your last session has expired and can no longer be shown. Open a new session to get a new password.'),
  ).toBeVisible();
  await expect(page.getByRole('timer')).toHaveCount(0);
  expect(errors.filter((error) => /#418|hydrat/i.test(error))).toEqual([]);
  expect(errors).toEqual([]);
});
