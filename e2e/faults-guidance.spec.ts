import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expect, expectAccessible, test } from './fixtures';
import { bridgeFaults, bridgeUsers, deviceOn, issuedGuidancePasswords, signedWebhook } from './faults';
import { readyForGuidance } from './flows';
import { TestServer } from './server';

// Guidance under provider faults, concurrent clicks and restarts, each on a production server of its own.

const passwordField = (page: Page) => page.getByLabel('One-time password');
const alert = (page: Page) => page.getByRole('main').getByRole('alert');
const CRASH = /This page couldn.t load|Application error/;

test.describe('guidance when Bridge fails, whichever bundle built the Bridge client', () => {
  let server: TestServer;
  test.beforeEach(async () => {
    server = await TestServer.start();
  });
  test.afterEach(async () => {
    await server.dispose();
  });

  test('webhook first after a restart, then Bridge answers 500: our sentence, then it works', async ({ browser }) => {
    const page = await (await deviceOn(browser, server)).newPage();
    await readyForGuidance(page);
    // A fresh process: the first Bridge client is built by the webhook route's copy of lib/.
    await server.restart();
    const from = server.output().length;
    const delivered = await signedWebhook(server, {
      type: 'guidance.health.ready',
      content: { user_id: randomUUID(), company_identification_number: '529196313' },
    });
    expect(delivered.status).toBe(200);
    await server.waitForLog(/webhook\.bridge\.unknown_user/, { from });

    await bridgeFaults(server, [{ operation: 'POST /v3/guidance/sessions', action: 'error' }]);
    await page.goto('/guidance');
    await page.getByRole('button', { name: 'Open my guidance' }).click();
    await expect(alert(page)).toHaveText('Bridge is not answering right now. Please try again in a few minutes.');
    await expect(page.getByText(CRASH)).toHaveCount(0);
    await expectAccessible(page);

    await page.getByRole('button', { name: 'Open my guidance' }).click();
    await expect(passwordField(page)).toBeVisible();
  });

  test('page first, then a webhook: both answer, and the notification opens a session', async ({ browser }) => {
    const page = await (await deviceOn(browser, server)).newPage();
    await readyForGuidance(page);
    await server.restart();
    await bridgeFaults(server, [{ operation: 'POST /v3/guidance/sessions', action: 'error' }]);
    await page.goto('/guidance');
    await page.getByRole('button', { name: 'Open my guidance' }).click();
    await expect(alert(page)).toHaveText('Bridge is not answering right now. Please try again in a few minutes.');
    await page.getByRole('button', { name: 'Open my guidance' }).click();
    await expect(passwordField(page)).toBeVisible();

    // The webhook route now uses the client the page's copy built.
    const [bridgeUser] = await bridgeUsers(server);
    const delivered = await signedWebhook(server, {
      type: 'guidance.health.ready',
      content: { user_id: bridgeUser!.uuid, company_identification_number: '529196313' },
    });
    expect(delivered.status).toBe(200);
    await expect(page.getByText('New guidance is ready for Acme Conseil')).toBeVisible({ timeout: 15_000 });
    await bridgeFaults(server, [{ operation: 'POST /v3/guidance/sessions', action: 'error' }]);
    await page.getByRole('button', { name: 'Open a new session' }).first().click();
    await expect(page.getByText('Bridge is not answering right now. Please try again in a few minutes.').first()).toBeVisible();
    await expect(page.getByText(CRASH)).toHaveCount(0);
  });
});

test.describe('guidance under concurrent clicks and the open limit', () => {
  let server: TestServer;
  test.beforeAll(async () => {
    server = await TestServer.start({ env: { GUIDANCE_OPEN_LIMIT: '3', GUIDANCE_OPEN_WINDOW_SECONDS: '600' } });
  });
  test.afterAll(async () => {
    await server.dispose();
  });

  test('a double click opens one session and the password stays on screen', async ({ browser }) => {
    const page = await (await deviceOn(browser, server)).newPage();
    await readyForGuidance(page);
    const before = (await issuedGuidancePasswords(server)).length;
    await page.getByRole('button', { name: 'Open my guidance' }).dblclick();
    await expect(passwordField(page)).toBeVisible();
    const first = await passwordField(page).inputValue();
    // The same form sent twice before the first answer comes back (a double click the page could not
    // stop in time, a slow device): both requests reach the server, one session is opened.
    await page.getByRole('button', { name: 'Open a new session' }).evaluate((button: HTMLButtonElement) => {
      button.form!.requestSubmit();
      button.form!.requestSubmit();
    });
    await expect(passwordField(page)).not.toHaveValue(first);
    const password = await passwordField(page).inputValue();
    await page.waitForTimeout(1000);
    await expect(passwordField(page)).toHaveValue(password);
    expect((await issuedGuidancePasswords(server)).length).toBe(before + 2);
  });

  test('the same leak reported from two tabs at once makes exactly one replacement', async ({ browser }) => {
    const context = await deviceOn(browser, server);
    const first = await context.newPage();
    await readyForGuidance(first);
    await first.getByRole('button', { name: 'Open my guidance' }).click();
    const old = await passwordField(first).inputValue();
    await first.reload();
    const second = await context.newPage();
    await second.goto('/guidance');
    const before = (await issuedGuidancePasswords(server)).length;

    // Both tabs confirm in the dialog, then send at once.
    const confirm = (page: Page) => page.getByRole('dialog').getByRole('button', { name: 'Invalidate it and get a new password' });
    await first.getByRole('button', { name: 'I think the password leaked' }).click();
    await second.getByRole('button', { name: 'I think the password leaked' }).click();
    await Promise.all([confirm(first).click(), confirm(second).click()]);
    // One tab shows the new password, the other says it was already reported.
    await expect(first.getByText(/already reported as leaked|The old password is invalidated and a new guidance session is open/)).toBeVisible();
    await expect(second.getByText(/already reported as leaked|The old password is invalidated and a new guidance session is open/)).toBeVisible();
    const shown = [await passwordField(first).count(), await passwordField(second).count()];
    expect(shown.sort()).toEqual([0, 1]);
    const issued = await issuedGuidancePasswords(server);
    expect(issued.length).toBe(before + 1);
    expect(issued.at(-1)).not.toBe(old);
  });

  test('past the open limit the user is told how long to wait, and nothing is opened', async ({ browser }) => {
    const page = await (await deviceOn(browser, server)).newPage();
    await readyForGuidance(page);
    await page.getByRole('button', { name: 'Open my guidance' }).click();
    await expect(passwordField(page)).toBeVisible();
    for (let opened = 1; opened < 3; opened++) {
      const previous = await passwordField(page).inputValue();
      await page.getByRole('button', { name: 'Open a new session' }).click();
      await expect(passwordField(page)).not.toHaveValue(previous);
    }
    const before = (await issuedGuidancePasswords(server)).length;
    await page.getByRole('button', { name: 'Open a new session' }).click();
    await expect(alert(page)).toHaveText(/opened the most guidance sessions allowed in a short time\. Please wait 10 minutes/);
    expect((await issuedGuidancePasswords(server)).length).toBe(before);
    await expectAccessible(page);
  });
});
