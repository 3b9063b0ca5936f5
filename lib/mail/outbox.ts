import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, type Database } from '@/lib/db/client';
import { mailOutbox } from '@/lib/db/schema';
import { getEnv, type AppConfig } from '@/lib/env';
import { SecretTamperedError } from '@/lib/secrets/aead';
import { resealSource, uuidKeyedColumn, type ResealTally } from '@/lib/secrets/rotation';
import type { Mail, MailKind } from './transport';
import { atRestKeyRing } from '@/lib/secrets/at-rest';

// The mail outbox (table mail_outbox): every email sent through SMTP is stored here before the response that
// promised it, and deleted once the server took it. As with the webhook queue, everything is one statement (no
// transaction held across an SMTP conversation), so it behaves the same on PostgreSQL and PGlite and any number
// of instances can run the worker.
//
// The message is sealed at rest (AES-256-GCM under a key derived from ENCRYPTION_KEY, bound to the row's id): a
// reset or confirmation link is a secret, and a copy of the table must not open an account.

const PURPOSE = 'mail-outbox-at-rest';

/** No email is sent more than a day late, whatever it says. */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60 * 1000;

/** The confirmation link's lifetime (lib/account/email-verification.ts VERIFICATION_TTL_MS; a test keeps them equal). */
export const EMAIL_VERIFICATION_LINK_MS = 24 * 60 * 60 * 1000;

/** How long the link an email exists for works: sent later, it would only say "this link no longer works". */
function linkLifetimeMs(kind: MailKind, env: AppConfig): number | undefined {
  if (kind === 'password_reset') return env.passwordResetTtlSeconds * 1000;
  if (kind === 'email_verification') return EMAIL_VERIFICATION_LINK_MS;
  return undefined;
}

/** When an email stored at `now` stops being worth sending: its link's end, else a day later. */
export function mailDeadline(kind: MailKind, now: Date, env: AppConfig = getEnv()): Date {
  return new Date(now.getTime() + Math.min(linkLifetimeMs(kind, env) ?? GIVE_UP_AFTER_MS, GIVE_UP_AFTER_MS));
}

/** The associated data of a row's sealed message: the row it belongs to. */
export const sealedMessageAt = (id: string) => `mail_outbox.message:${id}`;

const outboxKeyRing = atRestKeyRing(PURPOSE);

const sealedMessageSchema = z.object({ to: z.string(), subject: z.string(), text: z.string(), html: z.string() });

function sealMessage(id: string, mail: Mail): string {
  const message: z.infer<typeof sealedMessageSchema> = { to: mail.to, subject: mail.subject, text: mail.text, html: mail.html };
  return outboxKeyRing().seal(JSON.stringify(message), sealedMessageAt(id));
}

/** The email of a row; throws SecretTamperedError when no configured key opens it. */
export function openMessage(row: { id: string; kind: string; userId: string | null; sealed: string }): Mail {
  const opened = outboxKeyRing().open(row.sealed, sealedMessageAt(row.id)).value;
  let message;
  try {
    message = sealedMessageSchema.parse(JSON.parse(opened));
  } catch {
    // Authenticated, so written by us: only a bug gets here. Reported as any value that does not open.
    throw new SecretTamperedError();
  }
  return { ...message, kind: row.kind as MailKind, userId: row.userId ?? undefined };
}

/** True when the row was sealed under a key this instance does not hold (a rolling restart): not tampered with. */
export function sealedByUnknownKey(sealed: string): boolean {
  return outboxKeyRing().sealedByUnknownKey(sealed);
}

export interface StoredMail {
  id: string;
  expiresAt: Date;
}

/**
 * Stores an email, already claimed by the caller for `leaseMs` (its first attempt follows at once): no worker takes
 * it meanwhile, and if this process dies before trying, a worker does once the lease is over.
 */
export async function storeMail(mail: Mail, options: { leaseMs: number; now?: Date }): Promise<StoredMail> {
  const id = randomUUID();
  const expiresAt = mailDeadline(mail.kind, options.now ?? new Date());
  const db = await getDb();
  await db.insert(mailOutbox).values({
    id,
    kind: mail.kind,
    userId: mail.userId ?? null,
    messageSealed: sealMessage(id, mail),
    attempts: 1,
    nextAttemptAt: sql`now() + ${options.leaseMs} * interval '1 millisecond'`,
    expiresAt,
  });
  return { id, expiresAt };
}

export interface ClaimedMail {
  id: string;
  kind: string;
  userId: string | null;
  sealed: string;
  /** This claim's attempt number, from 1. */
  attempt: number;
  expiresAt: Date;
  /** The previous attempt's failure code. */
  lastError: string | null;
}

/**
 * Takes the email due longest ago for one attempt: SKIP LOCKED lets concurrent workers take different emails, and
 * the lease (next_attempt_at moved ahead) gives it back if this worker dies before it is done.
 */
export async function claimDueMail(leaseMs: number): Promise<ClaimedMail | undefined> {
  const db = await getDb();
  const result = await db.execute(sql`
    update mail_outbox
       set attempts = attempts + 1,
           next_attempt_at = now() + ${leaseMs} * interval '1 millisecond'
     where id = (
       select id from mail_outbox
        where next_attempt_at <= now()
        order by next_attempt_at
        limit 1
        for update skip locked)
    returning id, kind, user_id, message_sealed, attempts, expires_at, last_error`);
  const row = (
    result as unknown as {
      rows: Array<{
        id: string;
        kind: string;
        user_id: string | null;
        message_sealed: string;
        attempts: number;
        expires_at: Date | string;
        last_error: string | null;
      }>;
    }
  ).rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    kind: row.kind,
    userId: row.user_id,
    sealed: row.message_sealed,
    attempt: Number(row.attempts),
    expiresAt: new Date(row.expires_at),
    lastError: row.last_error,
  };
}

/** Sent, or given up: nothing of it is kept. */
export async function deleteMail(id: string): Promise<void> {
  const db = await getDb();
  await db.delete(mailOutbox).where(eq(mailOutbox.id, id));
}

/** Makes the email due again after `delayMs`, keeping the failure's code. */
export async function rescheduleMail(id: string, failure: { code: string; delayMs: number }): Promise<void> {
  const db = await getDb();
  await db
    .update(mailOutbox)
    .set({ lastError: failure.code, nextAttemptAt: sql`now() + ${failure.delayMs} * interval '1 millisecond'` })
    .where(eq(mailOutbox.id, id));
}

// --- Re-sealing after a key rotation (npm run rotate-keys) ----------------------------------------

/** Seals every waiting email again under the current key; each write only replaces the value read. */
export function resealMailOutbox(db: Database, env: AppConfig = getEnv(), options: { batchSize?: number } = {}): Promise<ResealTally> {
  const source = uuidKeyedColumn(
    'mail_outbox.message_sealed',
    sealedMessageAt,
    (after, limit) =>
      db
        .select({ id: mailOutbox.id, sealed: mailOutbox.messageSealed })
        .from(mailOutbox)
        .where(after ? gt(mailOutbox.id, after) : undefined)
        .orderBy(mailOutbox.id)
        .limit(limit),
    (id, from, to) =>
      db
        .update(mailOutbox)
        .set({ messageSealed: to })
        .where(and(eq(mailOutbox.id, id), eq(mailOutbox.messageSealed, from)))
        .returning({ id: mailOutbox.id }),
  );
  return resealSource(source, outboxKeyRing(env), options);
}
