import type { Page } from '@playwright/test';
import { expect, expectAccessible, signUp, test } from './fixtures';
import { deviceOn, finqwareConsents, finqwareFaults, finqwareKnobs } from './faults';
import { JPEG, personalStep, productStep, startCard } from './flows';
import { TestServer } from './server';

// Onboarding under Finqware faults and restarts, each test on a production server of its own.

// Finqware's error id as users see ids: its short reference (the whole id is in the server's log).
const REFERENCE = /\(Reference: [0-9A-F]{4}-[0-9A-F]{4}\)/;
const CRASH = /This page couldn.t load|Application error|check your connection/i;
const alert = (page: Page) => page.getByRole('main').getByRole('alert');

let server: TestServer;
test.beforeEach(async () => {
  server = await TestServer.start();
});
test.afterEach(async () => {
  await server.dispose();
});

async function toIdentityStep(page: Page) {
  await signUp(page);
  await startCard(page);
  await productStep(page);
  await personalStep(page);
}

async function uploadIdentity(page: Page) {
  await page.getByLabel('Document type').selectOption('passport');
  await page.getByLabel('Passport photo page').setInputFiles({ name: 'passport.jpg', mimeType: 'image/jpeg', buffer: JPEG });
  await page.getByRole('button', { name: 'Upload and continue' }).click();
}

async function uploadSelfie(page: Page) {
  await page.getByLabel('Selfie').setInputFiles({ name: 'me.jpg', mimeType: 'image/jpeg', buffer: JPEG });
  await page.getByRole('button', { name: 'Upload and continue' }).click();
}

test('page first, then Finqware answers 500 at an upload step: our sentence with a reference, the file kept, and sending again works', async ({ browser }) => {
  const page = await (await deviceOn(browser, server)).newPage();
  await toIdentityStep(page);
  await finqwareFaults(server, [{ operation: 'POST /steps/*/upload', action: 'error' }]);
  await uploadIdentity(page);
  await expect(alert(page)).toContainText('Finqware is not answering right now');
  await expect(alert(page)).toContainText(REFERENCE);
  await expect(page.getByText(CRASH)).toHaveCount(0);
  await expectAccessible(page);
  // The chosen file and document type are still there: one click sends again.
  await page.getByRole('button', { name: 'Upload and continue' }).click();
  await expect(page.getByText('Step 4 of 4')).toBeVisible();
});

/**
 * A restarted server (its Finqware simulator forgets every session) whose first Finqware client is
 * built by the upload route's copy of lib/: the upload is told the session is gone and offered the
 * restart, which the pages' copy then runs with that client.
 */
async function uploadFirstAfterRestart(page: Page) {
  await toIdentityStep(page);
  await server.restart();
  await uploadIdentity(page);
  await expect(alert(page)).toContainText('Finqware could not find this session.');
  // Finqware answers an upload's refusal with a bare { message } [doc]: no error id to quote, and none is invented.
  await expect(alert(page)).not.toContainText('Reference');
  await expect(page.getByText(CRASH)).toHaveCount(0);
  await page.getByRole('button', { name: 'Restart this onboarding' }).click();
  await expect(page.getByText('Step 1 of 4')).toBeVisible();
  await expect(page.getByLabel('Amount')).toHaveValue('100000');
}

test('upload first after a restart: errors in the actions and an expired nonce at an upload are our sentences, with the restart offered', async ({
  browser,
}) => {
  const page = await (await deviceOn(browser, server)).newPage();
  await uploadFirstAfterRestart(page);
  // A step sent by a server action, with the client the upload route built.
  await finqwareFaults(server, [{ operation: 'POST /sessions/*/steps', action: 'error' }]);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(alert(page)).toContainText('Finqware is not answering right now');
  await expect(page.getByText(CRASH)).toHaveCount(0);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText('Step 2 of 4')).toBeVisible();
  await personalStep(page);

  // Finqware's clock runs 31 minutes ahead: it says the nonce expired, though ours thinks it is fresh.
  await finqwareKnobs(server, { clock_offset_ms: 31 * 60 * 1000 });
  await uploadIdentity(page);
  await expect(alert(page)).toContainText('can no longer go on');
  await expect(page.getByText(CRASH)).toHaveCount(0);
  await expectAccessible(page);
  await finqwareKnobs(server, { clock_offset_ms: 0 });
  await page.getByRole('button', { name: 'Restart this onboarding' }).click();
  await expect(page.getByText('Step 1 of 4')).toBeVisible();
  await expect(page.getByLabel('Amount')).toHaveValue('100000');
});

test('upload first after a restart, then "Revoke consent" fails at Finqware: a notice with a reference, and it works again', async ({ browser }) => {
  const page = await (await deviceOn(browser, server)).newPage();
  await uploadFirstAfterRestart(page);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText('Step 2 of 4')).toBeVisible();
  await personalStep(page);
  await uploadIdentity(page);
  await expect(page.getByText('Step 4 of 4')).toBeVisible();
  await uploadSelfie(page);
  await expect(page.getByRole('heading', { name: 'Onboarding complete' })).toBeVisible();

  // consents/delete is idempotent, so the client tries three times before giving up.
  await finqwareFaults(server, [{ operation: 'POST /consents/delete', action: 'error', times: 3 }]);
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByRole('button', { name: 'Revoke consent for Business credit card' }).click();
  await expect(alert(page)).toContainText('Finqware did not answer, so the consent is not revoked yet.');
  await expect(alert(page)).toContainText(REFERENCE);
  await expect(page.getByText(CRASH)).toHaveCount(0);
  expect((await finqwareConsents(server)).map((consent) => consent.status)).toEqual(['ACTIVE']);

  await page.getByRole('button', { name: 'Revoke consent' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Yes, revoke my consent' }).click();
  await expect(page.getByRole('heading', { name: 'Consent revoked' })).toBeVisible();
  expect((await finqwareConsents(server)).map((consent) => consent.status)).toEqual(['DELETED']);
});

test('a token exchange whose answer was lost: "Finish" explains with a reference and the restart keeps the answers', async ({ browser }) => {
  const page = await (await deviceOn(browser, server)).newPage();
  await toIdentityStep(page);
  await uploadIdentity(page);
  await expect(page.getByText('Step 4 of 4')).toBeVisible();
  // Finqware makes the exchange, then the answer never reaches us.
  await finqwareFaults(server, [{ operation: 'POST /tokens', action: 'drop' }]);
  await uploadSelfie(page);
  await expect(page.getByRole('heading', { name: 'Almost done' })).toBeVisible();
  expect(await finqwareConsents(server)).toHaveLength(1);

  await page.getByRole('button', { name: 'Finish onboarding' }).click();
  await expect(page.getByRole('heading', { name: 'Restart needed' })).toBeVisible();
  await expect(page.getByText(/its answer never reached Guidepost/)).toBeVisible();
  await expect(page.getByText(/Reference for support: [0-9A-F]{4}-[0-9A-F]{4}$/)).toBeVisible();
  await expectAccessible(page);
  // The operators' log names the orphaned exchange by ids only.
  const line = await server.waitForLog(/onboarding\.exchange_orphaned/);
  expect(line).toContain('"finqwareErrorId"');
  expect(line).not.toMatch(/temp_?token"\s*:\s*"(?!\[redacted\])/i);

  await page.getByRole('button', { name: 'Restart this onboarding' }).click();
  await expect(page.getByText('Step 1 of 4')).toBeVisible();
  await expect(page.getByLabel('Amount')).toHaveValue('100000');
});
