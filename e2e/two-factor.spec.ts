import type { BrowserContext, Page } from '@playwright/test';
import { totpCodeAt } from '../lib/auth/two-factor/totp';
import { deviceOn } from './faults';
import { confirmEmail, expect, expectAccessible, linkFromDevMailbox, logIn, logOut, newEmail, PASSWORD, signUp, test } from './fixtures';
import { noteSecretForLogCheck } from './noted-secrets';
import { TestServer } from './server';

// Two-step sign-in (issue #11, item 4). The spec plays the authenticator app: it reads the key the page shows and
// computes the codes (RFC 6238) itself. Passkeys use Chromium's virtual authenticator (CDP WebAuthn domain).

const STEP_MS = 30_000;

/** The key shown for typing into the app, without its spaces. */
async function shownKey(page: Page): Promise<string> {
  const key = (await page.getByText(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/).textContent())!.replace(/\s/g, '');
  noteSecretForLogCheck(key);
  return key;
}

/** The ten recovery codes shown once after the first factor is added. */
async function shownRecoveryCodes(page: Page): Promise<string[]> {
  await expect(page.getByRole('heading', { name: 'Your recovery codes' })).toBeVisible();
  const codes = await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents();
  expect(codes).toHaveLength(10);
  for (const code of codes) noteSecretForLogCheck(code);
  return codes;
}

function mailboxMessages(page: Page, email: string, subject: string) {
  return page
    .getByRole('article')
    .filter({ hasText: `To: ${email}` })
    .filter({ has: page.getByRole('heading', { name: subject }) });
}

async function giveCode(page: Page, code: string) {
  await expect(page.getByRole('heading', { level: 1, name: 'Confirm it’s you' })).toBeVisible();
  await page.getByLabel('Code from your authenticator app, or a recovery code').fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('an authenticator app: set up with a first code, asked at login, each code once, recovery codes once, removed with an email', async ({
  page,
  browser,
}) => {
  test.slow();
  const { email } = await signUp(page);
  await page.goto('/settings/account');
  await expect(page.getByText('Two-step sign-in is off.')).toBeVisible();
  await page.getByRole('link', { name: 'Manage two-step sign-in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Two-step sign-in' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  await expect(page.getByRole('img', { name: 'QR code that adds Guidepost to your authenticator app' })).toBeVisible();
  const key = await shownKey(page);
  await expectAccessible(page);
  // A wrong first code turns nothing on.
  await page.getByLabel('6-digit code the app shows').fill('000000');
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expect(page.getByText('This code is not right, or was already used.')).toBeVisible();
  await page.getByLabel('6-digit code the app shows').fill(totpCodeAt(key, Date.now()));
  await page.getByRole('button', { name: 'Turn on' }).click();
  const codes = await shownRecoveryCodes(page);
  await expectAccessible(page);
  await page.getByRole('link', { name: 'I have saved them' }).click();
  await expect(page.getByText('Two-step sign-in is on.')).toBeVisible();
  await expect(page.getByText('10 recovery codes left.')).toBeVisible();

  // The next login asks for a code; a wrong one is refused next to the field.
  await logOut(page);
  await logIn(page, email);
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  await expectAccessible(page);
  // Half logged in opens nothing else.
  await page.goto('/settings/account');
  await expect(page).toHaveURL(/\/login\/two-factor$/);
  await giveCode(page, '123456');
  await expect(page.getByText('This code is not right, or was already used.')).toBeVisible();
  const code = totpCodeAt(key, Date.now() + STEP_MS);
  await giveCode(page, code);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

  // The same code a second time: refused. A recovery code works, once.
  await logOut(page);
  await logIn(page, email);
  await giveCode(page, code);
  await expect(page.getByText('This code is not right, or was already used.')).toBeVisible();
  await giveCode(page, codes[0]!.toLowerCase());
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await logOut(page);
  await logIn(page, email);
  await giveCode(page, codes[0]!);
  await expect(page.getByText('This code is not right, or was already used.')).toBeVisible();
  await giveCode(page, codes[1]!);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

  // Removing the app (a recent login: this one) asks first, then tells the user by email.
  await page.goto('/settings/security');
  await expect(page.getByText('8 recovery codes left.')).toBeVisible();
  await page.getByRole('button', { name: 'Remove the authenticator app' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByText('Removed. We sent you an email about it.')).toBeVisible();
  await expect(page.getByText('Two-step sign-in is off.')).toBeVisible();
  const mailbox = await (await browser.newContext()).newPage();
  await mailbox.goto('/sandbox/mailbox');
  await expect(mailboxMessages(mailbox, email, 'A sign-in method was added to your Guidepost account')).toHaveCount(1);
  await expect(mailboxMessages(mailbox, email, 'A sign-in method was removed from your Guidepost account')).toHaveCount(1);
  // Without a factor, the login is one step again.
  await logOut(page);
  await logIn(page, email);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
});

test.describe('REQUIRE_2FA, passkeys and step-up', () => {
  let server: TestServer;
  test.beforeAll(async () => {
    // localhost: WebAuthn refuses an IP address as the relying party. Step-up after 10 seconds.
    server = await TestServer.start({ database: 'pglite', hostname: 'localhost', env: { REQUIRE_2FA: 'true', RECENT_LOGIN_SECONDS: '10' } });
  });
  test.afterAll(async () => {
    await server?.dispose();
  });

  /** Sign-up and confirmation, then the login, which stops at setting up a second factor. */
  async function signUpToEnrolment(context: BrowserContext): Promise<{ page: Page; email: string }> {
    const page = await context.newPage();
    const email = newEmail();
    await page.goto('/signup');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await confirmEmail(page, await linkFromDevMailbox(page, email));
    await logIn(page, email);
    await expect(page.getByRole('heading', { level: 1, name: 'Set up two-step sign-in' })).toBeVisible();
    await expect(page.getByText('Your organisation requires a second step each time you log in')).toBeVisible();
    return { page, email };
  }

  test('a user without a factor sets up an app at login; step-up then asks for a code; the last factor stays', async ({ browser }) => {
    test.slow();
    const { page, email } = await signUpToEnrolment(await deviceOn(browser, server));
    await expectAccessible(page);
    // Nothing else opens before the setup.
    await page.goto('/guidance');
    await expect(page).toHaveURL(/\/login\/two-factor$/);
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const key = await shownKey(page);
    server.noteSecret(key);
    await page.getByLabel('6-digit code the app shows').fill(totpCodeAt(key, Date.now()));
    await page.getByRole('button', { name: 'Turn on' }).click();
    for (const code of await shownRecoveryCodes(page)) server.noteSecret(code);
    await page.getByRole('link', { name: 'I have saved them' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

    // Ten seconds on, changing the sign-in methods needs the password and a code again.
    await page.waitForTimeout(11_000);
    await page.goto('/settings/security');
    await expect(page.getByRole('heading', { name: 'Confirm it’s you' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Remove the authenticator app' })).toHaveCount(0);
    await page.getByLabel('Your Guidepost password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect(page.getByText('Enter the code from your authenticator app, or a recovery code.')).toBeVisible();
    await page.getByLabel('Your Guidepost password').fill(PASSWORD);
    await page.getByLabel('Code from your authenticator app, or a recovery code').fill(totpCodeAt(key, Date.now() + STEP_MS));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect(page.getByRole('button', { name: 'Remove the authenticator app' })).toBeVisible();
    await expect(page.getByText('Your organisation requires two-step sign-in: keep at least one method.')).toBeVisible();
    await page.getByRole('button', { name: 'Remove the authenticator app' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await expect(page.getByText('Two-step sign-in is required: add another method before removing this one.')).toBeVisible();
    await expect(page.getByText('Two-step sign-in is on.')).toBeVisible();

    // Wrong codes count against the login limits (five per account and address): then even the right one waits.
    await logOut(page);
    await logIn(page, email);
    const codeField = page.getByLabel('Code from your authenticator app, or a recovery code');
    for (let attempt = 0; attempt < 5; attempt++) {
      await giveCode(page, '000000');
      // The refusal of the attempt before is still on the page: the form's reset (React empties it once the action
      // has answered) tells this attempt was answered, before the next one is typed.
      await expect(codeField).toHaveValue('');
      await expect(page.getByText('This code is not right, or was already used.')).toBeVisible();
    }
    await giveCode(page, totpCodeAt(key, Date.now() + STEP_MS));
    await expect(page.getByText(/^Too many attempts\. Please wait \d+ minutes? and try again\.$/)).toBeVisible();
    await expect(page).toHaveURL(/\/login\/two-factor$/);
  });

  test('a passkey: created at the required setup, then used to log in, with Chromium’s virtual authenticator', async ({ browser }) => {
    test.slow();
    const context = await deviceOn(browser, server);
    const { page, email } = await signUpToEnrolment(context);
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    await page.getByLabel('Name of the new passkey').fill('Work laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await shownRecoveryCodes(page);
    await page.getByRole('link', { name: 'I have saved them' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    await page.goto('/settings/security');
    await expect(page.getByText('Work laptop', { exact: true })).toBeVisible();

    await logOut(page);
    await logIn(page, email);
    await expect(page.getByRole('heading', { level: 1, name: 'Confirm it’s you' })).toBeVisible();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

    // Step-up with the passkey: ten seconds on, the password and the passkey confirm it's the user.
    await page.waitForTimeout(11_000);
    await page.goto('/settings/security');
    await expect(page.getByRole('heading', { name: 'Confirm it’s you' })).toBeVisible();
    await page.getByLabel('Your Guidepost password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await expect(page.getByRole('button', { name: 'Remove the passkey Work laptop' })).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: 'Work laptop' })).toContainText('last used');

    const mailbox = await (await deviceOn(browser, server)).newPage();
    await mailbox.goto('/sandbox/mailbox');
    await expect(mailboxMessages(mailbox, email, 'A sign-in method was added to your Guidepost account')).toHaveCount(1);
    await expect(mailbox.getByText('The passkey “Work laptop” was added')).toBeVisible();
  });
});
