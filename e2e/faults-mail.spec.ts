import type { Page } from '@playwright/test';
import { startSmtpSink, type SmtpSink } from '../test/smtp-sink';
import { deviceOn } from './faults';
import { expect, logIn, logOut, newEmail, signUp, test } from './fixtures';
import { confirmationLinkFromSink } from './mail';
import { TestServer } from './server';

// Emails are never lost to an SMTP server that refuses them, nor to a process that dies before it could send them:
// they wait, sealed, in the outbox, and the mail worker sends them once the server takes mail again. Each test on a
// production server of its own (PostgreSQL), its mail going through a real SMTP server started here.

const NEW_PASSWORD = 'saffron-glacier-tandem-41';
const RESET_SUBJECT = 'Reset your Guidepost password';
const RESET_LINK = /https?:\/\/\S+\/reset-password#([A-Za-z0-9_-]{43})/;
const RETRY_LINE = /"event":"mail\.retry_scheduled".*"kind":"password_reset"|"kind":"password_reset".*"event":"mail\.retry_scheduled"/;

let sink: SmtpSink;
let server: TestServer;
test.beforeEach(async () => {
  sink = await startSmtpSink();
  // A second between the first attempts, so the test waits seconds, not minutes.
  server = await TestServer.start({ env: { SMTP_URL: sink.url, MAIL_FROM: 'Guidepost <no-reply@guidepost.test>', MAIL_RETRY_BASE_SECONDS: '1' } });
});
test.afterEach(async () => {
  await server?.dispose();
  await sink?.close();
});

/** "Forgot your password?" for `email`: the page's answer. */
async function askForLink(page: Page, email: string): Promise<string> {
  await page.goto('/forgot-password');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send the link' }).click();
  const answer = page.getByRole('status').filter({ hasText: `If an account exists for ${email}, we have sent it a link` });
  await expect(answer).toBeVisible();
  return (await answer.textContent())!;
}

/** The reset email, once the sink has it; its token is noted for the server's log check. */
async function resetLinkFromSink(email: string): Promise<string> {
  const mail = await sink.next(email, { subject: RESET_SUBJECT, timeoutMs: 20_000 });
  const [link, token] = RESET_LINK.exec(mail.text ?? '')!;
  server.noteSecret(token!);
  return link!;
}

/** Sets the new password through the link, then logs in with it. */
async function resetThrough(page: Page, link: string, email: string): Promise<void> {
  await page.goto(link);
  await expect(page).toHaveURL(`${server.baseURL}/reset-password`);
  await page.getByLabel('New password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Change my password' }).click();
  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await logIn(page, email, NEW_PASSWORD);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
}

/** The outbox's rows as they are stored, for what must not be in them. */
const outbox = () => server.sql<{ kind: string; attempts: number; message_sealed: string; last_error: string | null }>('select * from mail_outbox');

/** Mail log lines say kind, user id, attempts and codes: never the address. */
function expectNoAddressInMailLog(email: string): void {
  const lines = server
    .output()
    .split('\n')
    .filter((line) => line.includes('"event":"mail.'));
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.filter((line) => line.includes(email))).toEqual([]);
}

test('a reset asked while the SMTP server refuses: the usual answer, then the email once the server takes mail, and its link works', async ({ browser }) => {
  test.slow();
  const page = await (await deviceOn(browser, server)).newPage();
  const { email } = await signUp(
    page,
    newEmail(),
    undefined,
    confirmationLinkFromSink(
      () => sink,
      () => server,
    ),
  );
  await logOut(page);

  sink.refuse(true);
  const stranger = newEmail();
  const strangersAnswer = await askForLink(page, stranger);
  const from = server.output().length;
  const answer = await askForLink(page, email);
  // Word for word what an address without an account is told.
  expect(answer.replace(email, '…')).toBe(strangersAnswer.replace(stranger, '…'));

  // The first attempt was refused: the email waits in the outbox, sealed.
  await server.waitForLog(RETRY_LINE, { from });
  const [waiting] = await outbox();
  expect(waiting).toMatchObject({ kind: 'password_reset', last_error: 'EMESSAGE:550' });
  expect(waiting!.message_sealed).toMatch(/^v2\./);
  expect(JSON.stringify(await outbox())).not.toMatch(new RegExp(`reset-password|${email.replace(/[.+]/g, '\\$&')}|${RESET_SUBJECT}`));
  expect(sink.messages.filter((message) => message.subject === RESET_SUBJECT)).toEqual([]);

  sink.refuse(false);
  const link = await resetLinkFromSink(email);
  await expect.poll(async () => (await outbox()).filter((row) => row.kind === 'password_reset')).toEqual([]);
  await resetThrough(page, link, email);
  expectNoAddressInMailLog(email);
});

test('the process dies while the SMTP server refuses: after the restart, the worker sends the email', async ({ browser }) => {
  test.slow();
  const page = await (await deviceOn(browser, server)).newPage();
  const { email } = await signUp(
    page,
    newEmail(),
    undefined,
    confirmationLinkFromSink(
      () => sink,
      () => server,
    ),
  );
  await logOut(page);

  sink.refuse(true);
  const from = server.output().length;
  await askForLink(page, email);
  await server.waitForLog(RETRY_LINE, { from });
  // No clean-up at all: only the outbox row survives.
  await server.restart('SIGKILL');
  expect(await outbox()).toMatchObject([{ kind: 'password_reset' }]);

  sink.refuse(false);
  await resetThrough(page, await resetLinkFromSink(email), email);
  expectNoAddressInMailLog(email);
});
