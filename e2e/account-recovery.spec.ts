import type { Page } from '@playwright/test';
import { startSmtpSink, type SmtpSink } from '../test/smtp-sink';
import { deviceOn } from './faults';
import { confirmEmail, expect, expectAccessible, logIn, logOut, newEmail, PASSWORD, signUp, test, visitorIp, watchCsp } from './fixtures';
import { noteSecretForLogCheck } from './noted-secrets';
import { confirmationLinkFromSink } from './mail';
import { TestServer } from './server';

// "Forgot your password?" (issue #11, item 3): the emails go through a real SMTP server started here
// (test/smtp-sink.ts), or, on the demo's configuration, into the development mailbox.

const NEW_PASSWORD = 'saffron-glacier-tandem-41';
const RESET_LINK = /https?:\/\/\S+\/reset-password#([A-Za-z0-9_-]{43})/;

async function askForLink(page: Page, email: string): Promise<void> {
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reset your password' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  await expect(page.getByRole('status').filter({ hasText: `If an account exists for ${email}, we have sent it a link` })).toBeVisible();
}

async function chooseNewPassword(page: Page, link: string, server?: TestServer): Promise<void> {
  await page.goto(link);
  // The token leaves the address bar at once.
  await expect(page).toHaveURL(`${server?.baseURL ?? new URL(link).origin}/reset-password`);
  await expect(page.getByRole('heading', { level: 1, name: 'Choose a new password' })).toBeVisible();
  await page.getByLabel('New password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Change my password' }).click();
  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await expect(page.getByText('Your password was changed and every session of your account has ended.')).toBeVisible();
}

test.describe('through a real SMTP server', () => {
  let sink: SmtpSink;
  let server: TestServer;
  test.beforeAll(async () => {
    sink = await startSmtpSink();
    server = await TestServer.start({
      database: 'pglite',
      env: { SMTP_URL: sink.url, MAIL_FROM: 'Guidepost <no-reply@guidepost.test>', PASSWORD_RESET_TTL_SECONDS: '60' },
    });
  });
  test.afterAll(async () => {
    await server?.dispose();
    await sink?.close();
  });
  // This server's confirmation emails come through the SMTP server too.
  const fromSink = confirmationLinkFromSink(
    () => sink,
    () => server,
  );

  test('sign-up answers the same for a known address; until confirmed, guidance and onboarding stay closed', async ({ browser }) => {
    test.slow();
    const page = await (await deviceOn(browser, server)).newPage();
    const email = newEmail();
    await page.goto('/signup');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    const answer = page.getByRole('status').filter({ hasText: `Check your email: we sent a message to ${email}.` });
    await expect(answer).toBeVisible();
    const answered = await answer.textContent();
    await expectAccessible(page);
    const first = await fromSink(page, email);

    // Logged in but not confirmed: the pages say why, and the actions refuse.
    await page.goto('/login');
    await logIn(page, email);
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    await page.goto('/guidance');
    const notice = page.getByRole('region', { name: 'Confirm your email address' });
    await expect(notice).toContainText(`open the link we sent to ${email}`);
    await expectAccessible(page);
    await page.goto('/onboarding');
    await expect(notice).toBeVisible();
    await page.getByRole('button', { name: 'Start Business credit card' }).click();
    await expect(page.getByText('Confirm your email address first: open the link we sent you.')).toBeVisible();
    await expect(page).toHaveURL(/\/onboarding$/);

    // A new link replaces the first.
    await notice.getByRole('button', { name: 'Send the link again' }).click();
    await expect(notice.getByText(`We sent a new link to ${email}.`, { exact: false })).toBeVisible();
    const second = await fromSink(page, email);
    expect(second).not.toBe(first);
    await page.goto(first);
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    await expect(page.getByRole('main').getByRole('alert')).toHaveText(/This link no longer works/);
    await confirmEmail(page, second);
    await expect(page.getByText('Your email address is confirmed: guidance and onboarding are open.')).toBeVisible();
    await page.goto('/onboarding');
    await expect(notice).toHaveCount(0);

    // The same address again, from another browser: the same words, and its owner gets an email instead of a link.
    const stranger = await (await deviceOn(browser, server)).newPage();
    await stranger.goto('/signup');
    await stranger.getByLabel('Email').fill(email);
    await stranger.getByLabel('Password').fill('another-fine-passphrase-7');
    await stranger.getByRole('button', { name: 'Create account' }).click();
    await expect(stranger.getByRole('status').filter({ hasText: 'Check your email' })).toHaveText(answered!);
    const exists = await sink.next(email, { subject: 'You already have a Guidepost account' });
    expect(exists.text).toContain(`Log in: ${server.baseURL}/login`);
    expect(exists.text).toContain(`${server.baseURL}/forgot-password`);
    expect(exists.text).not.toMatch(/verify-email|reset-password#/);
  });

  test('a reset link by email sets a new password once, ends every session, and the user is told', async ({ browser }) => {
    test.slow();
    const context = await deviceOn(browser, server);
    const page = await context.newPage();
    const { email } = await signUp(page, undefined, undefined, fromSink);
    const elsewhere = await (await deviceOn(browser, server)).newPage();
    await elsewhere.goto('/login');
    await logIn(elsewhere, email);
    await expect(elsewhere.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    await logOut(page);

    await askForLink(page, email);
    await expectAccessible(page);
    const mail = await sink.next(email, { subject: 'Reset your Guidepost password' });
    expect(mail.from?.value).toEqual([{ name: 'Guidepost', address: 'no-reply@guidepost.test' }]);
    const [link, token] = RESET_LINK.exec(mail.text ?? '')!;
    server.noteSecret(token!);
    expect(mail.text).toContain('The link works once, for 1 minute.');
    expect(mail.html).toContain(`href="${link}"`);

    // A weak password is refused at its field; the link still works.
    await page.goto(link!);
    await expect(page).toHaveURL(`${server.baseURL}/reset-password`);
    await expectAccessible(page);
    await page.getByLabel('New password').fill('Password2026!');
    await page.getByRole('button', { name: 'Change my password' }).click();
    await expect(page.getByLabel('New password')).toHaveAccessibleDescription(/too easy to guess/);
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change my password' }).click();
    await expect(page).toHaveURL(/\/login\?reset=1$/);
    await expect(page.getByText('Your password was changed and every session of your account has ended.')).toBeVisible();

    const changed = await sink.next(email, { subject: 'Your Guidepost password was changed' });
    expect(changed.text).toMatch(/was reset on .+, through a link sent to this address/);
    await elsewhere.reload();
    await expect(elsewhere).toHaveURL(/\/login\?reason=session_ended$/);

    await logIn(page, email, PASSWORD);
    await expect(page.getByText('The email or password is not right.')).toBeVisible();
    await logIn(page, email, NEW_PASSWORD);
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

    // The same link a second time.
    const again = await (await deviceOn(browser, server)).newPage();
    await again.goto(link!);
    await again.getByLabel('New password').fill('another-fine-passphrase-7');
    await again.getByRole('button', { name: 'Change my password' }).click();
    await expect(again.getByRole('main').getByRole('alert')).toHaveText(/This link no longer works: it was already used/);
    await expect(again.getByRole('link', { name: 'Ask for a new link' })).toHaveAttribute('href', '/forgot-password');
    await expectAccessible(again);
  });

  test('an address without an account gets the same answer and no email', async ({ browser }) => {
    const page = await (await deviceOn(browser, server)).newPage();
    const stranger = newEmail();
    await askForLink(page, stranger);
    // A known address asked afterwards gets its email; the stranger's would have come first.
    const known = await (await deviceOn(browser, server)).newPage();
    const { email } = await signUp(known, undefined, undefined, fromSink);
    await askForLink(page, email);
    const mail = await sink.next(email, { subject: 'Reset your Guidepost password' });
    server.noteSecret(RESET_LINK.exec(mail.text ?? '')![1]!);
    expect(sink.messages.filter((message) => message.to && JSON.stringify(message.to).includes(stranger))).toEqual([]);
  });

  test('a link past its time is refused and offers a new one', async ({ browser }) => {
    test.slow();
    const page = await (await deviceOn(browser, server)).newPage();
    const { email } = await signUp(page, undefined, undefined, fromSink);
    await logOut(page);
    await askForLink(page, email);
    const [link, token] = RESET_LINK.exec((await sink.next(email, { subject: 'Reset your Guidepost password' })).text ?? '')!;
    server.noteSecret(token!);
    // PASSWORD_RESET_TTL_SECONDS is 60 on this server.
    await page.waitForTimeout(61_000);
    await page.goto(link!);
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change my password' }).click();
    await expect(page.getByRole('main').getByRole('alert')).toHaveText(/This link no longer works/);
    await page.getByRole('link', { name: 'Ask for a new link' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Reset your password' })).toBeVisible();
  });
});

test('without SMTP (the demo), the email is in the development mailbox, which leads to the reset', async ({ page, browser }) => {
  const { email } = await signUp(page);
  await logOut(page);
  await askForLink(page, email);
  await page.goto('/sandbox/mailbox');
  await expect(page.getByRole('heading', { level: 1, name: 'Development mailbox' })).toBeVisible();
  const message = page
    .getByRole('article')
    .filter({ hasText: `To: ${email}` })
    .filter({ hasText: 'Reset your Guidepost password' });
  await expect(message).toHaveCount(1);
  const link = await message.getByRole('link').getAttribute('href');
  noteSecretForLogCheck(RESET_LINK.exec(link ?? '')![1]!);
  await expectAccessible(page);
  await chooseNewPassword(page, link!);
  await logIn(page, email, NEW_PASSWORD);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

  // The mailbox follows the visitor's language, and the page without a link says where it comes from.
  const french = await (await watchCsp(await browser.newContext({ locale: 'fr-FR', extraHTTPHeaders: { 'X-Forwarded-For': visitorIp() } }))).newPage();
  await french.goto('/sandbox/mailbox');
  await expect(french.getByRole('heading', { level: 1, name: 'Boîte aux lettres de développement' })).toBeVisible();
  await french.goto('/reset-password');
  await expect(french.getByText('Cette page s’ouvre depuis le lien de l’e-mail que nous vous avons envoyé.', { exact: false })).toBeVisible();
});
