import 'server-only';
import nodemailer, { type Transporter } from 'nodemailer';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/log';
import { deliverToDevMailbox } from './dev-mailbox';

// The one place an email leaves Guidepost: to the SMTP server of SMTP_URL (nodemailer), or, when none is configured,
// into the development mailbox. The log says which email went to which user id, never its content (a reset link is a
// secret) nor the address.

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

/** Sends now; throws when the SMTP server refuses or cannot be reached. `attempt` (from 1) goes into the log line. */
export async function sendMail(mail: Mail, attempt?: number): Promise<void> {
  const { smtpUrl, from } = getEnv().mail;
  if (!smtpUrl) {
    deliverToDevMailbox({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
    logger().info({ event: 'mail.sent', kind: mail.kind, userId: mail.userId, via: 'dev_mailbox' }, 'email kept in the development mailbox');
    return;
  }
  const info = await transportFor(smtpUrl).sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
  logger().info({ event: 'mail.sent', kind: mail.kind, userId: mail.userId, attempt, via: 'smtp', messageId: info.messageId }, 'email sent');
}

/** What a failed send says, for logs and the outbox: nodemailer's code, the SMTP reply code and the command; never the reply's text, which may quote the address. */
export interface SmtpFailure {
  /** nodemailer's code (EENVELOPE, EMESSAGE, ECONNECTION, ETIMEDOUT, EAUTH…) or the error's class name. */
  code: string;
  /** The SMTP reply code (550, 451…), when the server answered. */
  responseCode?: number;
  /** The command the server refused (RCPT TO, DATA…). */
  command?: string;
}

export function smtpFailure(error: unknown): SmtpFailure {
  const fields = error !== null && typeof error === 'object' ? (error as { code?: unknown; responseCode?: unknown; command?: unknown }) : {};
  const code = typeof fields.code === 'string' ? fields.code : error instanceof Error ? error.name : 'unknown';
  return {
    code,
    ...(typeof fields.responseCode === 'number' ? { responseCode: fields.responseCode } : {}),
    ...(typeof fields.command === 'string' && /^[A-Z ]{2,12}$/.test(fields.command) ? { command: fields.command } : {}),
  };
}
