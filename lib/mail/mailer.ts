import 'server-only';
import { after } from 'next/server';
import nodemailer, { type Transporter } from 'nodemailer';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/log';
import { deliverToDevMailbox } from './dev-mailbox';

// Every email Guidepost sends goes through here: to the SMTP server of SMTP_URL (nodemailer), or, when none is
// configured, into the development mailbox. The log says which email went to which user id, never its content (a
// reset link is a secret) nor the address.

/** What an email is for; the log line names it. */
export type MailKind =
  | 'email_verification'
  | 'account_exists'
  | 'password_reset'
  | 'password_changed'
  | 'account_deleted'
  | 'new_device'
  | 'guidance_ready'
  | 'second_factor_changed';

export interface Mail {
  kind: MailKind;
  to: string;
  subject: string;
  /** Plain text: every email has it, for clients that show no HTML. */
  text: string;
  html: string;
  /** For the log line. */
  userId?: string;
}

const holder = globalThis as unknown as { __guidepostMailer?: { url: string; transport: Transporter } };

function transportFor(url: string): Transporter {
  if (holder.__guidepostMailer?.url !== url) {
    const transport = nodemailer.createTransport({
      url,
      pool: true,
      maxConnections: 2,
      // Seconds, not nodemailer's minutes: a stuck server must not hold a request's after-work for long.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      // A deployment's SMTP carries reset links: TLS from the start (smtps:) or STARTTLS, never plain text.
      requireTLS: getEnv().deploymentReasons.length > 0,
    } as Parameters<typeof nodemailer.createTransport>[0]);
    holder.__guidepostMailer = { url, transport };
  }
  return holder.__guidepostMailer.transport;
}

/** Sends now; throws when the SMTP server refuses or cannot be reached. */
export async function sendMail(mail: Mail): Promise<void> {
  const { smtpUrl, from } = getEnv().mail;
  if (!smtpUrl) {
    deliverToDevMailbox({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
    logger().info({ event: 'mail.sent', kind: mail.kind, userId: mail.userId, via: 'dev_mailbox' }, 'email kept in the development mailbox');
    return;
  }
  const info = await transportFor(smtpUrl).sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
  logger().info({ event: 'mail.sent', kind: mail.kind, userId: mail.userId, via: 'smtp', messageId: info.messageId }, 'email sent');
}

/** Sends now and never throws: a failure is logged with the email's kind and user id (for background work). */
export async function sendMailOrLog(mail: Mail): Promise<void> {
  try {
    await sendMail(mail);
  } catch (error) {
    const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : undefined;
    logger().error({ event: 'mail.failed', kind: mail.kind, userId: mail.userId, code }, 'email could not be sent');
  }
}

/**
 * Sends after the response has gone: the page does not wait for the mail server, and answers as fast whether an
 * email was due or not (a reset for an unknown address sends nothing). A failure is logged, never shown.
 */
export function sendMailAfterResponse(mail: Mail): void {
  try {
    after(() => sendMailOrLog(mail));
  } catch {
    // Outside a request (a script, a unit test): now, without waiting.
    void sendMailOrLog(mail);
  }
}
