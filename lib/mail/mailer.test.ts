import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envSetter } from '@/test/env';
import { startSmtpSink, type SmtpSink } from '@/test/smtp-sink';
import { devMailbox } from './dev-mailbox';
import { sendMail } from './transport';
import { accountDeletedMail, guidanceReadyMail, passwordChangedMail, passwordResetMail, type Recipient } from './templates';

// The mailer against a real SMTP server (test/smtp-sink.ts), and the templates as a mail client receives them.

const FRENCH: Recipient = { userId: 'user-1', email: 'camille@example.com', locale: 'fr', timeZone: 'Europe/Paris' };
const ENGLISH: Recipient = { userId: 'user-2', email: 'alex@example.com', locale: 'en', timeZone: 'America/New_York' };
const LINK = 'https://portal.example.com/reset-password#AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

describe('sending through SMTP', () => {
  const setEnv = envSetter();
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink.close();
  });

  it('delivers plain text and HTML from MAIL_FROM, in the recipient’s language', async () => {
    setEnv({ SMTP_URL: sink.url, MAIL_FROM: 'Guidepost <no-reply@guidepost.test>' });
    await sendMail(passwordResetMail(FRENCH, LINK, 30));
    const received = await sink.next(FRENCH.email);
    expect(received.subject).toBe('Réinitialisez votre mot de passe Guidepost');
    expect(received.from?.value).toEqual([{ name: 'Guidepost', address: 'no-reply@guidepost.test' }]);
    expect(received.text).toContain('Bonjour,');
    expect(received.text).toContain(LINK);
    expect(received.text).toContain('Le lien ne sert qu’une fois, pendant 30 minutes.');
    expect(received.html).toContain(`href="${LINK}"`);
    expect(received.html).toContain('<html lang="fr">');
  });

  it('throws when the server refuses, so a caller can log it', async () => {
    setEnv({ SMTP_URL: sink.url });
    sink.refuse(true);
    try {
      await expect(sendMail(accountDeletedMail(ENGLISH, new Date()))).rejects.toThrow();
    } finally {
      sink.refuse(false);
    }
  });

  it('keeps mail in the development mailbox when no SMTP server is configured', async () => {
    setEnv({ SMTP_URL: undefined });
    await sendMail(passwordChangedMail(ENGLISH, new Date('2026-03-30T19:05:00Z'), 'changed'));
    const kept = devMailbox()[0]!;
    expect(kept.to).toBe(ENGLISH.email);
    expect(kept.subject).toBe('Your Guidepost password was changed');
    // In the recipient's zone: 19:05 UTC is 3:05 PM in New York.
    expect(kept.text).toContain('was changed on Mar 30, 2026, 3:05 PM.');
  });
});

describe('templates', () => {
  it('escape what they put into HTML and carry no link but the one they exist for', () => {
    const odd: Recipient = { ...ENGLISH, email: 'a<b>"c"@example.com' };
    const deleted = accountDeletedMail(odd, new Date());
    expect(deleted.html).toContain('a&lt;b&gt;&quot;c&quot;@example.com');
    expect(deleted.html).not.toContain('<b>');
    expect(deleted.html).not.toMatch(/href=/);
    const reset = passwordResetMail(ENGLISH, LINK, 30);
    expect(reset.html.match(/href="([^"]+)"/g)).toEqual([`href="${LINK}"`]);
  });

  it('say the guidance-ready news in the reader’s language with a link to the portal only', () => {
    const mail = guidanceReadyMail(FRENCH, 'Acme Conseil', 'https://portal.example.com');
    expect(mail.subject).toBe('Un nouvel accompagnement est prêt pour Acme Conseil');
    expect(mail.text).toContain('https://portal.example.com/guidance');
    expect(mail.html.match(/href="([^"]+)"/g)).toEqual(['href="https://portal.example.com/guidance"']);
  });
});
