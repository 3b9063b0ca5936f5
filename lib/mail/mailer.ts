import 'server-only';
import { after } from 'next/server';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/log';
import { storeMail } from './outbox';
import { attemptDelivery, mailWorkerSettings, outboxFailureCode } from './outbox-worker';
import { sendMail, smtpFailure, type Mail } from './transport';

// How the product sends email. With an SMTP server, every email goes into the outbox (lib/mail/outbox.ts, sealed)
// before it is tried, so an SMTP server that refuses or is down, or a process that dies, delays an email rather
// than losing it: the mail worker retries it until its deadline. The development mailbox (no SMTP_URL) is this
// process's memory: it takes an email at once and has no use for the outbox.

/** Sends now and never throws: a failure is logged with the email's kind and user id. */
async function sendOrLog(mail: Mail): Promise<void> {
  try {
    await sendMail(mail);
  } catch (error) {
    logger().error({ event: 'mail.failed', kind: mail.kind, userId: mail.userId, ...smtpFailure(error) }, 'email could not be sent');
  }
}

/**
 * Stores the email in the outbox, claimed for its first attempt; resolves to that attempt, to be run when the caller
 * likes. When the outbox cannot be written (the database is down), the attempt is a plain send, as before the outbox
 * existed: better than nothing. Never rejects.
 */
function storeForFirstAttempt(mail: Mail): Promise<() => Promise<void>> {
  const settings = mailWorkerSettings();
  return storeMail(mail, { leaseMs: settings.leaseMs }).then(
    (stored) => async () => {
      try {
        await attemptDelivery({ ...stored, mail, attempt: 1 }, settings);
      } catch (error) {
        // Sent or not, the row is still leased: the worker takes it again once the lease is over.
        logger().warn(
          { event: 'mail.outbox_failed', kind: mail.kind, userId: mail.userId, code: outboxFailureCode(error) },
          'outbox not updated after an attempt',
        );
      }
    },
    (error: unknown) => {
      logger().error(
        { event: 'mail.store_failed', kind: mail.kind, userId: mail.userId, code: outboxFailureCode(error) },
        'email could not be stored in the outbox; trying it once without',
      );
      return () => sendOrLog(mail);
    },
  );
}

/**
 * Stores the email now (the store starts before the response goes), then tries it after the response: the page does
 * not wait for the mail server, and answers as fast whether an email was due or not (a reset for an unknown address
 * sends nothing). A failure is retried by the mail worker, logged, never shown.
 */
export function sendMailAfterResponse(mail: Mail): void {
  if (!getEnv().mail.smtpUrl) {
    void sendOrLog(mail);
    return;
  }
  const firstAttempt = storeForFirstAttempt(mail);
  const run = () => firstAttempt.then((attempt) => attempt());
  try {
    after(run);
  } catch {
    // Outside a request (a script, a unit test): now, without waiting.
    void run();
  }
}

/** For background work (the webhook worker): stores the email and tries it at once; the mail worker retries a failure. Never throws. */
export async function queueMail(mail: Mail): Promise<void> {
  if (!getEnv().mail.smtpUrl) return sendOrLog(mail);
  const attempt = await storeForFirstAttempt(mail);
  await attempt();
}
