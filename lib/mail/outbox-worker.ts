import 'server-only';
import { isDatabaseError } from '@/lib/db/errors';
import { getEnv, type AppConfig } from '@/lib/env';
import { backoffMs } from '@/lib/jobs/backoff';
import { drainDue, startPollingWorker, type RunningWorker } from '@/lib/jobs/polling-worker';
import { logger } from '@/lib/log';
import { isSecretTamperedError } from '@/lib/secrets/aead';
import { claimDueMail, deleteMail, openMessage, rescheduleMail, sealedByUnknownKey, type ClaimedMail } from './outbox';
import { sendMail, smtpFailure, type Mail } from './transport';

// Sends what waits in the outbox. One attempt follows the request that stored an email (lib/mail/mailer.ts); the
// worker, on every instance (lib/jobs/polling-worker.ts), takes what failed or was left by a process that died, after
// its backoff. An email is never sent after its deadline (the end of its link, else a day): it is dropped with an
// error line. Log lines name the kind, the user id, the attempt and the SMTP codes; never the address or the content.

export interface MailWorkerSettings {
  /** The wait after a first failure; each next one is four times longer, at most an hour. */
  retryBaseMs: number;
  /** How long a claimed email stays with its worker before another may take it: well beyond the transport's timeouts (10 s to connect, 10 s for the greeting, 20 s of silence). */
  leaseMs: number;
  pollMs: number;
}

const LEASE_MS = 2 * 60 * 1000;
const POLL_MS = 5000;
const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

export function mailWorkerSettings(env: AppConfig = getEnv()): MailWorkerSettings {
  const { retryBaseMs } = env.mail;
  // Polling more slowly than the first retry would only delay it.
  return { retryBaseMs, leaseMs: LEASE_MS, pollMs: Math.min(POLL_MS, retryBaseMs) };
}

/** The wait before attempt `attempt + 1`: 30 s, 2 min, 8 min, 32 min, then every hour (with the default base), ±20 %. */
export function mailRetryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  return backoffMs(attempt, { baseMs, factor: 4, maxMs: MAX_RETRY_DELAY_MS }, random);
}

/** An email in hand: stored and claimed for this attempt. */
export interface MailAttempt {
  id: string;
  mail: Mail;
  /** From 1. */
  attempt: number;
  expiresAt: Date;
}

export type AttemptOutcome = 'sent' | 'retry' | 'gave_up';

/**
 * One attempt: taken by the server, the email is deleted; refused or not reached, it is due again after its backoff,
 * or dropped when that would fall after its deadline. Throws only when the database does (the lease then brings the
 * email back).
 */
export async function attemptDelivery(attempt: MailAttempt, settings: MailWorkerSettings): Promise<AttemptOutcome> {
  const { id, mail } = attempt;
  try {
    await sendMail(mail, attempt.attempt);
  } catch (error) {
    const failure = smtpFailure(error);
    const code = failure.responseCode === undefined ? failure.code : `${failure.code}:${failure.responseCode}`;
    const delayMs = mailRetryDelayMs(attempt.attempt, settings.retryBaseMs);
    const fields = { kind: mail.kind, userId: mail.userId, ...failure };
    if (Date.now() + delayMs >= attempt.expiresAt.getTime()) {
      await deleteMail(id);
      logger().error(
        { event: 'mail.gave_up', ...fields, attempts: attempt.attempt },
        'email dropped: the SMTP server did not take it before its deadline (its link’s end, or a day)',
      );
      return 'gave_up';
    }
    await rescheduleMail(id, { code, delayMs });
    logger().warn({ event: 'mail.retry_scheduled', ...fields, attempt: attempt.attempt, retryInMs: delayMs }, 'email not sent; retrying later');
    return 'retry';
  }
  await deleteMail(id);
  return 'sent';
}

/** A claimed row: dropped when past its deadline, opened, then attempted. */
async function processClaimed(claimed: ClaimedMail, settings: MailWorkerSettings): Promise<void> {
  const fields = { kind: claimed.kind, userId: claimed.userId ?? undefined, attempts: claimed.attempt - 1, lastError: claimed.lastError ?? undefined };
  if (claimed.expiresAt.getTime() <= Date.now()) {
    await deleteMail(claimed.id);
    logger().error({ event: 'mail.gave_up', ...fields }, 'email dropped: it was not sent before its deadline (its link’s end, or a day)');
    return;
  }
  let mail: Mail;
  try {
    mail = openMessage(claimed);
  } catch (error) {
    if (!isSecretTamperedError(error)) throw error;
    if (sealedByUnknownKey(claimed.sealed)) {
      // Sealed by an instance already on a newer key (a rolling restart): one of those will send it.
      await rescheduleMail(claimed.id, { code: 'unknown_key', delayMs: settings.pollMs });
      logger().warn({ event: 'mail.unknown_key', ...fields }, 'email sealed under a key this instance does not hold; left for the others');
      return;
    }
    await deleteMail(claimed.id);
    logger().error({ event: 'mail.unreadable', ...fields }, 'email dropped: its sealed message does not open (tampered with)');
    return;
  }
  await attemptDelivery({ id: claimed.id, mail, attempt: claimed.attempt, expiresAt: claimed.expiresAt }, settings);
}

/** Claims and sends due emails one after another, until none is due or `max` were taken; returns how many. */
export function processDueMail(options: { max?: number; settings?: MailWorkerSettings; isStopping?: () => boolean } = {}): Promise<number> {
  const settings = options.settings ?? mailWorkerSettings();
  return drainDue(
    () => claimDueMail(settings.leaseMs),
    (claimed) => processClaimed(claimed, settings),
    { max: options.max, isStopping: options.isStopping },
  );
}

/** A short code for a failed pass or outbox write: never a message. */
export function outboxFailureCode(error: unknown): string {
  if (isDatabaseError(error)) return `database:${error.code ?? 'unknown'}`;
  return error instanceof Error ? error.name : 'unknown';
}

/** The outbox's polling loop on this instance (lib/startup.ts). */
export function startMailWorker(options: { settings?: MailWorkerSettings } = {}): RunningWorker {
  const settings = options.settings ?? mailWorkerSettings();
  return startPollingWorker({
    name: 'mail',
    pollMs: settings.pollMs,
    pass: (isStopping) => processDueMail({ settings, isStopping }),
    failureCode: outboxFailureCode,
    startedWith: { retryBaseMs: settings.retryBaseMs },
  });
}
