import type { Page } from '@playwright/test';
import { credentialsPost } from './credentials-post';
import { expect, expectAccessible, logIn, logOut, newDevice, PASSWORD, signUp, test, visitorIp } from './fixtures';

// Security notices and sessions (issue #11, item 5), on the demo's configuration: emails in the development mailbox.

/** The messages of the development mailbox for `email` with `subject`. */
function mailboxMessages(page: Page, email: string, subject: string) {
  return page
    .getByRole('article')
    .filter({ hasText: `To: ${email}` })
    .filter({ has: page.getByRole('heading', { name: subject }) });
}

test('a login from a new browser is emailed once; the account page lists the sessions and ends another one', async ({ page, browser }) => {
  const { email } = await signUp(page);
  const other = await newDevice(browser);
  const elsewhere = await other.newPage();
  await elsewhere.goto('/login');
  await logIn(elsewhere, email);
  await expect(elsewhere.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

  const mailbox = await (await newDevice(browser)).newPage();
  await mailbox.goto('/sandbox/mailbox');
  const notice = mailboxMessages(mailbox, email, 'New sign-in to your Guidepost account');
  await expect(notice).toHaveCount(1);
  await expect(notice).toContainText(/signed in from a browser it had not been used in before: Chrome on Linux, on /);

  // The same browser again is known: no second email.
  await logOut(elsewhere);
  await logIn(elsewhere, email);
  await expect(elsewhere.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await mailbox.reload();
  await expect(mailboxMessages(mailbox, email, 'New sign-in to your Guidepost account')).toHaveCount(1);

  await page.goto('/settings/account');
  const sessions = page
    .locator('section')
    .filter({ has: page.getByRole('heading', { name: 'Where you are signed in' }) })
    .getByRole('listitem');
  await expect(sessions).toHaveCount(2);
  await expect(sessions.filter({ hasText: 'This browser' })).toHaveCount(1);
  await expect(sessions.filter({ hasText: 'This browser' }).getByRole('button')).toHaveCount(0);
  await expect(sessions.first()).toContainText('Chrome on Linux');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'End this session: Chrome on Linux' }).click();
  await expect(page.getByText('The session was ended: that browser must log in again.')).toBeVisible();
  await expect(sessions).toHaveCount(1);

  await elsewhere.reload();
  await expect(elsewhere).toHaveURL(/\/login\?reason=session_ended$/);
  // This one goes on.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
  await other.close();
});

test('changing the password and deleting the account are emailed', async ({ page, browser }) => {
  const { email } = await signUp(page);
  await page.goto('/settings/account');
  await page.getByLabel('Current password').fill('copper-harbor-lantern-58');
  await page.getByLabel('New password').fill('saffron-glacier-tandem-41');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText(/Password changed/)).toBeVisible();
  await page.getByLabel('Password', { exact: true }).fill('saffron-glacier-tandem-41');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete permanently' }).click();
  await expect(page).toHaveURL(/\/login\?deleted=1$/);

  const mailbox = await (await newDevice(browser)).newPage();
  await mailbox.goto('/sandbox/mailbox');
  await expect(mailboxMessages(mailbox, email, 'Your Guidepost password was changed')).toContainText(
    'Every session of your account has ended, except the one where it was changed.',
  );
  await expect(mailboxMessages(mailbox, email, 'Your Guidepost account was deleted')).toContainText('Nothing of it can be recovered.');
});

test('a script signing in through next-auth’s own endpoint is a new device too: emailed once, then known', async ({ page, browser, baseURL }) => {
  const { email } = await signUp(page);
  // A script that says no language gets French, the portal's default (the user saved none).
  const SCRIPT_NOTICE = 'Nouvelle connexion à votre compte Guidepost';
  const mailbox = await (await newDevice(browser)).newPage();
  await mailbox.goto('/sandbox/mailbox');
  await expect(mailboxMessages(mailbox, email, SCRIPT_NOTICE)).toHaveCount(0);

  const ip = visitorIp();
  const first = await credentialsPost(baseURL!, email, PASSWORD, ip);
  expect(first.status).toBe(302);
  const device = first.cookies.filter((cookie) => cookie.startsWith('gp_device='));
  expect(device).toHaveLength(1);
  await expect(async () => {
    await mailbox.reload();
    await expect(mailboxMessages(mailbox, email, SCRIPT_NOTICE)).toHaveCount(1);
  }).toPass({ timeout: 10_000 });
  // With the known-device cookie it set, the next one is no news; a wrong password sends nothing either.
  expect((await credentialsPost(baseURL!, email, PASSWORD, ip, device)).status).toBe(302);
  await credentialsPost(baseURL!, email, 'not-the-password-at-all', ip);
  await mailbox.waitForTimeout(1000);
  await mailbox.reload();
  await expect(mailboxMessages(mailbox, email, SCRIPT_NOTICE)).toHaveCount(1);
});
