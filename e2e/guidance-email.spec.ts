import { startSmtpSink, type SmtpSink } from '../test/smtp-sink';
import { deviceOn, signedWebhook } from './faults';
import { expect, expectAccessible, test } from './fixtures';
import { readyForGuidance } from './flows';
import { confirmationLinkFromSink } from './mail';
import { TestServer } from './server';

// The guidance-ready email (issue #11, item 6): besides the portal's notice, for a user who asked for it on the
// account page; once per event, a link to the portal, never a password. Through a real SMTP server.

let sink: SmtpSink;
let server: TestServer;
test.beforeAll(async () => {
  sink = await startSmtpSink();
  server = await TestServer.start({ env: { SMTP_URL: sink.url, MAIL_FROM: 'Guidepost <no-reply@guidepost.test>', WEBHOOK_POLL_SECONDS: '1' } });
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

test('opted in on the account page, the user also gets the guidance-ready notice by email, once, without a password', async ({ browser }) => {
  test.slow();
  const page = await (await deviceOn(browser, server)).newPage();
  // The email speaks the user's saved language, else the company's (its guidance language): English here.
  const { email } = await readyForGuidance(page, { confirmationLink: fromSink, language: 'en' });

  await page.goto('/settings/account');
  const optIn = page.getByLabel('Email me when new guidance is ready');
  await expect(optIn).not.toBeChecked();
  await expect(optIn).toHaveAccessibleDescription(/never a password/);
  await optIn.check();
  await page.getByRole('button', { name: 'Save email preferences' }).click();
  await expect(page.getByText('Your email preferences are saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Email me when new guidance is ready')).toBeChecked();
  await expectAccessible(page);

  await page.goto('/guidance');
  await page.getByRole('button', { name: 'Open my guidance' }).click();
  const password = await page.getByLabel('One-time password').inputValue();
  server.noteSecret(password);
  const [link] = await server.sql<{ bridge_user_uuid: string }>('select bridge_user_uuid from bridge_users');

  // Delivered twice (Bridge retries): one notice, one email.
  const event = {
    type: 'guidance.health.ready',
    content: { user_id: link!.bridge_user_uuid, company_identification_number: '529196313' },
    timestamp: Date.now(),
  };
  expect((await signedWebhook(server, event)).status).toBe(200);
  expect((await signedWebhook(server, event)).status).toBe(200);

  const mail = await sink.next(email, { subject: 'New guidance is ready for Acme Conseil', timeoutMs: 20_000 });
  expect(mail.text).toContain(`${server.baseURL}/guidance`);
  expect(mail.html).toContain(`href="${server.baseURL}/guidance"`);
  expect(mail.text).not.toContain(password);
  expect(mail.html).not.toContain(password);
  await page.goto('/');
  await expect(page.getByText('New guidance is ready for Acme Conseil')).toBeVisible({ timeout: 15_000 });
  await expect.poll(async () => (await server.sql('select count(*)::int as n from webhook_events where processed_at is not null'))[0]?.n).toBe(1);
  expect(sink.messages.filter((message) => message.subject === 'New guidance is ready for Acme Conseil')).toEqual([]);
});
