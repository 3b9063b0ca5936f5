import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { requestPasswordReset, resetPassword } from '@/lib/account/password-reset';
import { signUp } from '@/lib/account/service';
import { VERIFICATION_TTL_MS } from '@/lib/account/email-verification';
import { openDatabase, setDatabaseForTests } from '@/lib/db/client';
import { mailOutbox } from '@/lib/db/schema';
import { isEnvError, parseEnv } from '@/lib/env';
import { logger } from '@/lib/log';
import { databaseKinds, useTestDatabase } from '@/test/databases';
import { envSetter } from '@/test/env';
import { startSmtpSink, type SmtpSink } from '@/test/smtp-sink';
import { devMailbox } from './dev-mailbox';
import { queueMail, sendMailAfterResponse } from './mailer';
import { claimDueMail, EMAIL_VERIFICATION_LINK_MS, GIVE_UP_AFTER_MS, mailDeadline, openMessage, resealMailOutbox, storeMail } from './outbox';
import { mailRetryDelayMs, mailWorkerSettings, processDueMail, startMailWorker, type MailWorkerSettings } from './outbox-worker';
import { accountDeletedMail, newDeviceMail, passwordResetMail, verificationMail, type Recipient } from './templates';

// The outbox against a real SMTP server (test/smtp-sink.ts) that refuses, then accepts, on PGlite and PostgreSQL.

const SETTINGS: MailWorkerSettings = { retryBaseMs: 1000, leaseMs: 60_000, pollMs: 20 };
const HOUR_MS = 60 * 60 * 1000;

const uniqueIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A recipient of its own for each test: the sink and the log are searched by address. */
function recipient(): Recipient {
  return { userId: randomUUID(), email: `outbox-${randomBytes(6).toString('hex')}@example.com`, locale: 'en', timeZone: 'Europe/Paris' };
}

/** A reset link as the product makes it: the token is the secret that must stay out of the table and the log. */
function resetLink(): { link: string; token: string } {
  const token = randomBytes(32).toString('base64url');
  return { link: `https://portal.example.com/reset-password#${token}`, token };
}

/** Every line logged at these levels since the spies were set, as its fields plus its message. */
function logSpies() {
  const spies = (['info', 'warn', 'error'] as const).map((level) => vi.spyOn(logger(), level));
  const lines = (): Array<Record<string, unknown>> =>
    spies.flatMap((spy) => spy.mock.calls.map(([fields, message]) => ({ ...(fields as unknown as Record<string, unknown>), message: String(message) })));
  return { lines, events: (event: string) => lines().filter((line) => line.event === event) };
}

/** Runs worker passes until one takes something; fails after `timeoutMs`. */
async function passUntilTaken(settings: MailWorkerSettings = SETTINGS, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while ((await processDueMail({ settings })) === 0) {
    if (Date.now() - started > timeoutMs) throw new Error('no email became due');
    await pause(20);
  }
}

describe('the retry schedule and deadlines', () => {
  const env = parseEnv({ AUTH_SECRET: 'a'.repeat(43), ENCRYPTION_KEY: randomBytes(32).toString('base64'), PASSWORD_RESET_TTL_SECONDS: '900' });

  it('waits 30 s, 2 min, 8 min, 32 min, then an hour at most, ±20 %', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 12].map((attempt) => mailRetryDelayMs(attempt, 30_000, middle))).toEqual([30_000, 120_000, 480_000, 1_920_000, HOUR_MS, HOUR_MS]);
    expect(mailRetryDelayMs(1, 30_000, () => 0)).toBe(24_000);
    expect(mailRetryDelayMs(1, 30_000, () => 0.999_999)).toBe(36_000);
  });

  it('never sends a link after it stops working, nor any email a day late', () => {
    const now = new Date('2026-03-30T10:00:00Z');
    expect(mailDeadline('password_reset', now, env).getTime() - now.getTime()).toBe(900_000);
    expect(mailDeadline('email_verification', now, env).getTime() - now.getTime()).toBe(VERIFICATION_TTL_MS);
    expect(EMAIL_VERIFICATION_LINK_MS).toBe(VERIFICATION_TTL_MS);
    for (const kind of ['new_device', 'password_changed', 'account_deleted', 'account_exists', 'guidance_ready'] as const) {
      expect(mailDeadline(kind, now, env).getTime() - now.getTime()).toBe(GIVE_UP_AFTER_MS);
    }
  });

  it('reads MAIL_RETRY_BASE_SECONDS (30 by default), polls at least as often, and names the variable when it is wrong', () => {
    expect(mailWorkerSettings(env)).toEqual({ retryBaseMs: 30_000, leaseMs: 120_000, pollMs: 5000 });
    const fast = parseEnv({ ...process.env, MAIL_RETRY_BASE_SECONDS: '2' });
    expect(mailWorkerSettings(fast)).toMatchObject({ retryBaseMs: 2000, pollMs: 2000 });
    for (const bad of ['0', '3601', 'soon']) {
      let problems: string[] = [];
      try {
        parseEnv({ ...process.env, MAIL_RETRY_BASE_SECONDS: bad });
      } catch (error) {
        if (isEnvError(error)) problems = error.problems;
      }
      expect(problems).toEqual([expect.stringMatching(/^MAIL_RETRY_BASE_SECONDS: must be/)]);
    }
  });
});

describe('without an SMTP server (the development mailbox)', () => {
  const setEnv = envSetter();
  const database = useTestDatabase('pglite');

  it('keeps the email in the mailbox at once, and nothing in the outbox', async () => {
    setEnv({ SMTP_URL: undefined });
    const to = recipient();
    sendMailAfterResponse(accountDeletedMail(to, new Date()));
    expect(devMailbox()[0]).toMatchObject({ to: to.email, subject: 'Your Guidepost account was deleted' });
    expect(await database.db.select().from(mailOutbox)).toEqual([]);
  });
});

describe.each(databaseKinds)('the mail outbox on %s', (kind) => {
  const database = useTestDatabase(kind);
  const setEnv = envSetter();
  let sink: SmtpSink;

  const rows = () => database.db.select().from(mailOutbox);
  const rowOf = async (userId: string) => (await database.db.select().from(mailOutbox).where(eq(mailOutbox.userId, userId)))[0];

  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink.close();
  });
  beforeEach(async () => {
    // Each test sees only its own emails: the outbox is the whole table.
    await database.db.delete(mailOutbox);
    sink.refuse(false);
    sink.messages.length = 0;
    setEnv({ SMTP_URL: sink.url, MAIL_FROM: 'Guidepost <no-reply@guidepost.test>', MAIL_RETRY_BASE_SECONDS: '1' });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('stores an email the server refuses, sealed, and the worker delivers it once the server takes mail again', async () => {
    const log = logSpies();
    const to = recipient();
    const { link, token } = resetLink();
    sink.refuse({ code: 451, at: 'rcpt' });
    sendMailAfterResponse(passwordResetMail(to, link, 30));

    // The first attempt follows at once (outside a request, without waiting): refused, so it stays, due in about a second.
    await vi.waitFor(async () => expect((await rowOf(to.userId))?.lastError).toBe('EENVELOPE:451'), { timeout: 5000, interval: 20 });
    const waiting = (await rowOf(to.userId))!;
    expect(waiting).toMatchObject({ kind: 'password_reset', attempts: 1 });
    expect(waiting.nextAttemptAt.getTime() - Date.now()).toBeLessThanOrEqual(1200);
    expect(waiting.expiresAt.getTime() - waiting.createdAt.getTime()).toBeGreaterThan(30 * 60 * 1000 - 1000);
    // Sealed: neither the link's token nor the address, subject or text is in the table.
    expect(waiting.messageSealed).toMatch(/^v2\./);
    const table = JSON.stringify(await rows());
    for (const secret of [token, link, to.email, 'Reset your Guidepost password', 'works once']) expect(table).not.toContain(secret);
    expect(log.events('mail.retry_scheduled')).toEqual([
      expect.objectContaining({ kind: 'password_reset', userId: to.userId, attempt: 1, code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO' }),
    ]);
    // Not due yet.
    expect(await processDueMail({ settings: SETTINGS })).toBe(0);
    expect(sink.messages).toEqual([]);

    sink.refuse(false);
    await passUntilTaken();
    const received = await sink.next(to.email, { timeoutMs: 1000 });
    expect(received.subject).toBe('Reset your Guidepost password');
    expect(received.text).toContain(link);
    expect(await rows()).toEqual([]);
    expect(log.events('mail.sent')).toEqual([expect.objectContaining({ kind: 'password_reset', userId: to.userId, attempt: 2, via: 'smtp' })]);
    // Never the address, the link or the content in a log line.
    const logged = JSON.stringify(log.lines());
    for (const secret of [token, to.email, 'Reset your Guidepost password']) expect(logged).not.toContain(secret);
  });

  it('a reset asked while the server refuses answers as usual; the worker delivers the link later, and it works', async () => {
    setEnv({ PASSWORD_RESET_TTL_SECONDS: '600' });
    const email = `reset-${randomUUID()}@example.com`;
    const created = await signUp({ email, password: 'orbit-lantern-velvet-73', ip: uniqueIp() });
    expect(created.ok).toBe(true);
    // Sign-up's own confirmation email goes through first.
    await sink.next(email, { subject: 'Confirm your email address for Guidepost' });

    sink.refuse(true);
    expect(await requestPasswordReset({ email, ip: uniqueIp() })).toEqual({ ok: true });
    await vi.waitFor(async () => expect((await rows()).map((row) => row.lastError)).toEqual(['EMESSAGE:550']), { timeout: 5000, interval: 20 });

    sink.refuse(false);
    const worker = startMailWorker({ settings: SETTINGS });
    try {
      const mail = await sink.next(email, { subject: 'Reset your Guidepost password' });
      const token = /\/reset-password#([A-Za-z0-9_-]{43})/.exec(mail.text ?? '')![1]!;
      expect(await resetPassword({ token, newPassword: 'saffron-glacier-tandem-41' })).toEqual({ ok: true, email });
      // The notice that follows goes through the outbox too.
      await sink.next(email, { subject: 'Your Guidepost password was changed' });
      await vi.waitFor(async () => expect(await rows()).toEqual([]), { timeout: 2000, interval: 20 });
    } finally {
      await worker.stop();
    }
  });

  it('a server that cannot be reached is the same: the running worker sends once it can', async () => {
    const log = logSpies();
    // A port nobody listens on.
    const closed = await startSmtpSink();
    await closed.close();
    setEnv({ SMTP_URL: closed.url });
    const to = recipient();
    await queueMail(newDeviceMail(to, new Date(), 'Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0'));
    expect(await rowOf(to.userId)).toMatchObject({ attempts: 1, lastError: 'ESOCKET' });
    expect(log.events('mail.retry_scheduled')).toEqual([expect.objectContaining({ kind: 'new_device', userId: to.userId, code: 'ESOCKET' })]);

    setEnv({ SMTP_URL: sink.url });
    const worker = startMailWorker({ settings: SETTINGS });
    try {
      expect((await sink.next(to.email)).subject).toBe('New sign-in to your Guidepost account');
      await vi.waitFor(async () => expect(await rows()).toEqual([]), { timeout: 2000, interval: 20 });
    } finally {
      await worker.stop();
    }
  });

  it('drops a reset email whose link has expired, with an error line, and never sends it', async () => {
    setEnv({ PASSWORD_RESET_TTL_SECONDS: '1' });
    const log = logSpies();
    const to = recipient();
    const { link, token } = resetLink();
    // Stored, then the process died before trying (a short lease stands for it); the server takes mail, but too late.
    await storeMail(passwordResetMail(to, link, 1), { leaseMs: 1 });
    await pause(1100);
    expect(await processDueMail({ settings: SETTINGS })).toBe(1);
    expect(await rows()).toEqual([]);
    await pause(100);
    expect(sink.messages).toEqual([]);
    expect(log.events('mail.gave_up')).toEqual([expect.objectContaining({ kind: 'password_reset', userId: to.userId, attempts: 1 })]);
    const logged = JSON.stringify(log.lines());
    for (const secret of [token, to.email]) expect(logged).not.toContain(secret);
  });

  it('stops retrying a reset email at its link’s end rather than send it late', async () => {
    setEnv({ PASSWORD_RESET_TTL_SECONDS: '3' });
    const log = logSpies();
    const to = recipient();
    sink.refuse(true);
    const started = Date.now();
    sendMailAfterResponse(passwordResetMail(to, resetLink().link, 1));
    await vi.waitFor(async () => expect((await rowOf(to.userId))?.lastError).toBe('EMESSAGE:550'), { timeout: 2000, interval: 20 });
    // Attempts at about 0 s and 1 s; the next would be about 4 s later, after the link's end: dropped then.
    await vi.waitFor(
      async () => {
        await processDueMail({ settings: SETTINGS });
        expect(await rows()).toEqual([]);
      },
      { timeout: 8000, interval: 50 },
    );
    expect(Date.now() - started).toBeLessThan(3000);
    const [gaveUp] = log.events('mail.gave_up');
    expect(gaveUp).toMatchObject({ kind: 'password_reset', userId: to.userId, code: 'EMESSAGE', responseCode: 550 });
    expect(gaveUp!.attempts).toBeLessThanOrEqual(3);
    sink.refuse(false);
    expect(sink.messages).toEqual([]);
  });

  it('leaves an email being tried to its worker, and gives it back when that worker died, once the lease is over', async () => {
    const to = recipient();
    await storeMail(verificationMail(to, 'https://portal.example.com/verify-email#x'), { leaseMs: 400 });
    const storedAt = Date.now();
    expect(await processDueMail({ settings: SETTINGS })).toBe(0);
    await passUntilTaken();
    expect(Date.now() - storedAt).toBeGreaterThanOrEqual(380);
    expect((await sink.next(to.email, { timeoutMs: 1000 })).subject).toBe('Confirm your email address for Guidepost');
    expect(await rows()).toEqual([]);
  });

  it('two workers at once send every email exactly once', async () => {
    const recipients = Array.from({ length: 20 }, recipient);
    // Left by a process that died: all due now.
    for (const to of recipients) await storeMail(accountDeletedMail(to, new Date()), { leaseMs: 0 });
    await pause(5);
    const [first, second] = await Promise.all([processDueMail({ settings: SETTINGS }), processDueMail({ settings: SETTINGS })]);
    expect(first + second).toBe(20);
    // Both really worked side by side.
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(0);
    await pause(100);
    const addresses = sink.messages.flatMap((message) =>
      (Array.isArray(message.to) ? message.to : [message.to]).flatMap((to) => to!.value.map((v) => v.address)),
    );
    expect(addresses.sort()).toEqual(recipients.map((to) => to.email).sort());
    expect(await rows()).toEqual([]);
  });

  it('two polling workers on one refused email: one attempt at a time, and one delivery', async () => {
    const to = recipient();
    sink.refuse(true);
    await queueMail(accountDeletedMail(to, new Date()));
    const workers = [startMailWorker({ settings: { ...SETTINGS, retryBaseMs: 200 } }), startMailWorker({ settings: { ...SETTINGS, retryBaseMs: 200 } })];
    try {
      await vi.waitFor(async () => expect((await rowOf(to.userId))?.attempts).toBeGreaterThanOrEqual(3), { timeout: 5000, interval: 20 });
      sink.refuse(false);
      await sink.next(to.email);
      await vi.waitFor(async () => expect(await rows()).toEqual([]), { timeout: 2000, interval: 20 });
      await pause(300);
      expect(sink.messages).toEqual([]);
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
  });

  it('drops a row that was tampered with, and leaves one sealed under a key it does not hold to the instances that do', async () => {
    const log = logSpies();
    const tampered = recipient();
    const stored = await storeMail(accountDeletedMail(tampered, new Date()), { leaseMs: 0 });
    const [row] = await database.db.select().from(mailOutbox).where(eq(mailOutbox.id, stored.id));
    const other = await storeMail(accountDeletedMail(recipient(), new Date()), { leaseMs: 0 });
    // The sealed message of another row: it does not open here (bound to its row).
    await database.db.update(mailOutbox).set({ messageSealed: row!.messageSealed }).where(eq(mailOutbox.id, other.id));
    await database.db.delete(mailOutbox).where(eq(mailOutbox.id, stored.id));

    // A row sealed by an instance already on a newer key.
    const newer = randomBytes(32).toString('base64');
    const current = process.env.ENCRYPTION_KEY!;
    setEnv({ ENCRYPTION_KEY: newer, ENCRYPTION_KEYS_PREVIOUS: current });
    const ahead = recipient();
    const aheadStored = await storeMail(accountDeletedMail(ahead, new Date()), { leaseMs: 0 });
    setEnv({ ENCRYPTION_KEY: current, ENCRYPTION_KEYS_PREVIOUS: undefined });
    await pause(5);

    expect(await processDueMail({ settings: SETTINGS, max: 2 })).toBe(2);
    expect(log.events('mail.unreadable')).toEqual([expect.objectContaining({ kind: 'account_deleted' })]);
    expect(log.events('mail.unknown_key')).toEqual([expect.objectContaining({ kind: 'account_deleted', userId: ahead.userId })]);
    expect((await rows()).map((left) => left.id)).toEqual([aheadStored.id]);
    await pause(100);
    expect(sink.messages).toEqual([]);

    // The instance on the newer key sends it.
    setEnv({ ENCRYPTION_KEY: newer, ENCRYPTION_KEYS_PREVIOUS: current });
    await passUntilTaken();
    expect((await sink.next(ahead.email, { timeoutMs: 1000 })).subject).toBe('Your Guidepost account was deleted');
  });

  it('re-seals waiting emails under the current key (npm run rotate-keys)', async () => {
    const to = recipient();
    const { link } = resetLink();
    const stored = await storeMail(passwordResetMail(to, link, 30), { leaseMs: 60_000 });
    const before = (await rowOf(to.userId))!.messageSealed;
    const older = process.env.ENCRYPTION_KEY!;
    setEnv({ ENCRYPTION_KEY: randomBytes(32).toString('base64'), ENCRYPTION_KEYS_PREVIOUS: older });

    expect(await resealMailOutbox(database.db, undefined, { batchSize: 1 })).toEqual({
      name: 'mail_outbox.message_sealed',
      resealed: 1,
      current: 0,
      skipped: 0,
      unreadable: [],
    });
    const after = (await rowOf(to.userId))!.messageSealed;
    expect(after).not.toBe(before);
    // The new key alone opens it now.
    setEnv({ ENCRYPTION_KEYS_PREVIOUS: undefined });
    expect(openMessage({ id: stored.id, kind: 'password_reset', userId: to.userId, sealed: after }).text).toContain(link);
    expect((await resealMailOutbox(database.db)).current).toBe(1);
  });
});

describe('when the outbox cannot be written', () => {
  const setEnv = envSetter();
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    setDatabaseForTests(undefined);
    await sink.close();
  });

  it('sends the email once without it, and says so in the log', async () => {
    setEnv({ SMTP_URL: sink.url, MAIL_RETRY_BASE_SECONDS: '1' });
    const broken = await openDatabase({ pgliteDir: 'memory://' });
    await broken.close();
    setDatabaseForTests(broken);
    const log = logSpies();
    const to = recipient();
    sendMailAfterResponse(accountDeletedMail(to, new Date()));
    expect((await sink.next(to.email)).subject).toBe('Your Guidepost account was deleted');
    expect(log.events('mail.store_failed')).toEqual([expect.objectContaining({ kind: 'account_deleted', userId: to.userId })]);
    expect(await claimDueMail(1000).catch(() => 'still down')).toBe('still down');
  });
});

describe('npm run rotate-keys', () => {
  const setEnv = envSetter();

  it('re-seals the outbox with the rest, printing counts and never a value', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'guidepost-outbox-rotate-'));
    const older = randomBytes(32).toString('base64');
    const current = randomBytes(32).toString('base64');
    try {
      setEnv({ ENCRYPTION_KEY: older });
      const handle = await openDatabase({ pgliteDir: dir });
      setDatabaseForTests(handle);
      const { link, token } = resetLink();
      await storeMail(passwordResetMail(recipient(), link, 30), { leaseMs: 60_000 });
      setDatabaseForTests(undefined);
      // PGlite allows one process per data directory: the command's.
      await handle.close();

      const env: NodeJS.ProcessEnv = { ...process.env, AUTH_SECRET: 'a'.repeat(43), ENCRYPTION_KEY: current, ENCRYPTION_KEYS_PREVIOUS: older, PGLITE_DIR: dir };
      delete env.DATABASE_URL;
      delete env.REDIS_URL;
      const run = spawnSync('npm', ['run', '--silent', 'rotate-keys'], { env, encoding: 'utf8', timeout: 60_000 });
      const output = `${run.stdout}${run.stderr}`;
      expect(run.status).toBe(0);
      expect(output).toContain('mail_outbox.message_sealed: 1 re-sealed, 0 already current, 0 changed meanwhile, 0 unreadable');
      expect(output).not.toContain(token);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
