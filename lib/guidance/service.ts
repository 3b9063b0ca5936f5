import 'server-only';
import { and, desc, eq, lt, ne, sql } from 'drizzle-orm';
import { bridgeLink, type BridgeLink } from '@/lib/bridge-link/service';
import { isBridgeError, type BridgeErrorCode } from '@/lib/bridge/errors';
import { consume, refund } from '@/lib/auth/rate-limit';
import { getCompanyProfile } from '@/lib/company/service';
import { missingForGuidance } from '@/lib/company/schema';
import { translator } from '@/lib/i18n/server';
import { getDb } from '@/lib/db/client';
import { prepared } from '@/lib/db/prepared';
import { guidanceOpenRequests, guidanceSessions, type GuidanceSessionRow } from '@/lib/db/schema';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/log';
import { guidancePasswordStore } from '@/lib/secrets';
import type { SecretStore } from '@/lib/secrets/store';
import { auditTrail, recordAudit, type AuditEntry } from './audit';

type PasswordState = 'held' | 'deleted' | 'expired' | 'invalidated';

interface GuidanceSessionView {
  id: string;
  url: string;
  createdAt: Date;
  passwordState: PasswordState;
  passwordExpiresAt: Date;
  replacedBy: string | null;
}

interface ShownPassword {
  session: { id: string; url: string };
  password: string;
  expiresAt: Date;
}

export interface GuidanceDeps {
  bridge: Pick<BridgeLink, 'createGuidanceSession'>;
  store: SecretStore;
  now: () => Date;
}

function defaults(): GuidanceDeps {
  return { bridge: bridgeLink(), store: guidancePasswordStore(), now: () => new Date() };
}

export type OpenOutcome =
  | ({ ok: true } & ShownPassword)
  | { ok: false; reason: 'profile_incomplete'; missing: string[] }
  | { ok: false; reason: 'provider'; code: BridgeErrorCode }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number }
  // The same request (a double click, a resent form) was already taken: its answer showed the password.
  | { ok: false; reason: 'duplicate' };

export interface OpenOptions {
  /** The key the page's form carries: a second request with the same key opens nothing. */
  requestKey?: string;
}

const REQUEST_KEY = /^[A-Za-z0-9:_-]{8,100}$/;

/** Takes a request key once; false when it was already taken. */
async function claimRequest(userId: string, requestKey: string): Promise<boolean> {
  const db = await getDb();
  const claimed = await db
    .insert(guidanceOpenRequests)
    .values({ userId, requestKey })
    .onConflictDoNothing()
    .returning({ key: guidanceOpenRequests.requestKey });
  return claimed.length > 0;
}

async function releaseRequest(userId: string, requestKey: string): Promise<void> {
  const db = await getDb();
  await db.delete(guidanceOpenRequests).where(and(eq(guidanceOpenRequests.userId, userId), eq(guidanceOpenRequests.requestKey, requestKey)));
}

/** Forgets request keys older than a day (a form is not resent after that). */
export async function sweepOpenRequests(now = new Date()): Promise<number> {
  const db = await getDb();
  const removed = await db
    .delete(guidanceOpenRequests)
    .where(lt(guidanceOpenRequests.createdAt, new Date(now.getTime() - 24 * 60 * 60 * 1000)))
    .returning({ key: guidanceOpenRequests.requestKey });
  return removed.length;
}

/**
 * Opens a Bridge guidance session for the user's company and holds its password, encrypted, for the TTL.
 * A request key is taken once (a double click opens one session), and a user opens at most
 * GUIDANCE_OPEN_LIMIT sessions per window, leak replacements included.
 */
export async function openGuidance(userId: string, options: OpenOptions = {}, deps: GuidanceDeps = defaults()): Promise<OpenOutcome> {
  const profile = await getCompanyProfile(userId);
  const missing = missingForGuidance(profile, await translator('company'));
  if (!profile || missing.length > 0) return { ok: false, reason: 'profile_incomplete', missing };
  const requestKey = options.requestKey !== undefined && REQUEST_KEY.test(options.requestKey) ? options.requestKey : undefined;
  if (requestKey !== undefined && !(await claimRequest(userId, requestKey))) return { ok: false, reason: 'duplicate' };
  const wait = await consume('guidanceOpen', userId);
  if (wait > 0) {
    if (requestKey !== undefined) await releaseRequest(userId, requestKey);
    logger().warn({ event: 'guidance.open_rate_limited', userId }, 'guidance session refused: too many opened');
    return { ok: false, reason: 'rate_limited', retryAfterSeconds: wait };
  }
  let created;
  try {
    created = await deps.bridge.createGuidanceSession(userId, {
      countryCode: profile.countryCode,
      companyIdentificationNumber: profile.identificationNumber,
      language: profile.language,
      contactEmail: profile.contactEmail,
      contactPhoneNumber: profile.contactPhone,
    });
  } catch (error) {
    // Nothing was opened: the same form may be sent again, and the attempt does not count.
    if (requestKey !== undefined) await releaseRequest(userId, requestKey);
    await refund('guidanceOpen', userId);
    if (isBridgeError(error)) {
      const line = { event: 'guidance.open_failed', userId, code: error.code, status: error.status, type: error.type };
      // [doc] 403: this server's address is not on the Bridge app's IP allow-list. Only operators can fix it.
      if (error.code === 'forbidden') logger().error(line, "guidance session refused: Bridge does not allow this server's IP address (app allow-list)");
      else logger().warn(line, 'guidance session could not be opened');
      // The user sees our own sentence for the code (view.ts): 'not_found' is Bridge's "user not found"
      // (its 401 at this call, or the token's 404) even after a new Bridge user was made, 'forbidden' the 403.
      return { ok: false, reason: 'provider', code: error.code };
    }
    throw error;
  }
  const { expiresAt } = await deps.store.put({ userId, sessionId: created.id }, created.password, getEnv().guidancePasswordTtlSeconds);
  const db = await getDb();
  await db.insert(guidanceSessions).values({
    id: created.id,
    userId,
    url: created.url,
    companyIdentificationNumber: profile.identificationNumber,
    createdAt: deps.now(),
    passwordExpiresAt: expiresAt,
  });
  await recordAudit(userId, created.id, 'created', deps.now());
  logger().info({ event: 'guidance.opened', userId, guidanceSessionId: created.id }, 'guidance session opened');
  return { ok: true, session: { id: created.id, url: created.url }, password: created.password, expiresAt };
}

async function ownedSession(userId: string, sessionId: string): Promise<GuidanceSessionRow | undefined> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(guidanceSessions)
    .where(and(eq(guidanceSessions.id, sessionId), eq(guidanceSessions.userId, userId)));
  return row;
}

async function setPasswordState(sessionId: string, state: PasswordState, extra: Partial<GuidanceSessionRow> = {}): Promise<void> {
  const db = await getDb();
  await db
    .update(guidanceSessions)
    .set({ passwordState: state, ...extra })
    .where(and(eq(guidanceSessions.id, sessionId), eq(guidanceSessions.passwordState, 'held')));
}

/** A held password whose time is up becomes 'expired', recorded once at the moment it expired. */
async function settleExpiry(row: GuidanceSessionRow, now: Date): Promise<PasswordState> {
  if (row.passwordState !== 'held' || row.passwordExpiresAt.getTime() > now.getTime()) return row.passwordState as PasswordState;
  const db = await getDb();
  const updated = await db
    .update(guidanceSessions)
    .set({ passwordState: 'expired' })
    .where(and(eq(guidanceSessions.id, row.id), eq(guidanceSessions.passwordState, 'held')))
    .returning({ id: guidanceSessions.id });
  if (updated.length > 0) await recordAudit(row.userId, row.id, 'expired', row.passwordExpiresAt);
  return 'expired';
}

export type RevealOutcome =
  | ({ ok: true } & ShownPassword)
  | { ok: false; reason: 'not_found' | 'expired' | 'deleted' | 'invalidated' }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

/**
 * Shows a held password again to its owner. Whether a session of someone else exists is not told:
 * it answers exactly like an unknown id.
 */
export async function revealPassword(userId: string, sessionId: string, deps: GuidanceDeps = defaults()): Promise<RevealOutcome> {
  const row = await ownedSession(userId, sessionId);
  if (!row) return { ok: false, reason: 'not_found' };
  const now = deps.now();
  const wait = await consume('guidanceReveal', userId);
  if (wait > 0) {
    await recordAudit(userId, sessionId, 'reveal_refused', now);
    return { ok: false, reason: 'rate_limited', retryAfterSeconds: wait };
  }
  const state = await settleExpiry(row, now);
  if (state !== 'held') return { ok: false, reason: state };
  const held = await deps.store.get({ userId, sessionId });
  if (!held) {
    // The store forgot it (restart of an in-memory store, or a tampered entry): treat as expired.
    await setPasswordState(sessionId, 'expired');
    await recordAudit(userId, sessionId, 'expired', now);
    return { ok: false, reason: 'expired' };
  }
  await recordAudit(userId, sessionId, 'revealed', now);
  return { ok: true, session: { id: row.id, url: row.url }, password: held.value, expiresAt: held.expiresAt };
}

/** "I'm done": the password is deleted at once. */
export async function finishWithPassword(userId: string, sessionId: string, deps: GuidanceDeps = defaults()): Promise<boolean> {
  const row = await ownedSession(userId, sessionId);
  if (!row) return false;
  await deps.store.delete({ userId, sessionId });
  if (row.passwordState === 'held') {
    await setPasswordState(sessionId, 'deleted');
    await recordAudit(userId, sessionId, 'deleted', deps.now());
  }
  return true;
}

export type LeakOutcome =
  | OpenOutcome
  | { ok: false; reason: 'not_found' }
  // Another request (a second click, another tab) reported it first and made the one replacement.
  | { ok: false; reason: 'already_reported'; replacedBy: string | null };

// A report that lost to a concurrent one waits at most this long for the winner's replacement (one
// Bridge opening), so every tab names the new session instead of saying none was made.
const REPLACEMENT_WAIT_MS = 15_000;
const REPLACEMENT_POLL_MS = 50;

/** The session that replaced an invalidated one; waits while a concurrent report may still be opening it. */
async function replacementOf(sessionId: string, deps: GuidanceDeps): Promise<string | null> {
  const db = await getDb();
  const deadline = Date.now() + REPLACEMENT_WAIT_MS;
  for (;;) {
    const [current] = await db
      .select({ replacedBy: guidanceSessions.replacedBy, invalidatedAt: guidanceSessions.invalidatedAt })
      .from(guidanceSessions)
      .where(eq(guidanceSessions.id, sessionId));
    if (!current || current.replacedBy) return current?.replacedBy ?? null;
    // Reported long enough ago that no opening is still under way: the replacement failed.
    const mayStillOpen = current.invalidatedAt !== null && deps.now().getTime() - current.invalidatedAt.getTime() < REPLACEMENT_WAIT_MS;
    if (!mayStillOpen || Date.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, REPLACEMENT_POLL_MS));
  }
}

/**
 * "The password may have leaked": delete it, mark the session invalidated, and open one new session
 * with a new password at once. Only the request that flips the session to invalidated opens the
 * replacement, so any number of concurrent reports make exactly one (a report never adds exposure).
 */
export async function reportLeak(userId: string, sessionId: string, deps: GuidanceDeps = defaults()): Promise<LeakOutcome> {
  const row = await ownedSession(userId, sessionId);
  if (!row) return { ok: false, reason: 'not_found' };
  // The password goes first, whoever wins below.
  await deps.store.delete({ userId, sessionId });
  const db = await getDb();
  const [won] = await db
    .update(guidanceSessions)
    .set({ passwordState: 'invalidated', invalidatedAt: deps.now() })
    .where(and(eq(guidanceSessions.id, sessionId), eq(guidanceSessions.userId, userId), ne(guidanceSessions.passwordState, 'invalidated')))
    .returning({ id: guidanceSessions.id });
  if (!won) return { ok: false, reason: 'already_reported', replacedBy: await replacementOf(sessionId, deps) };
  await recordAudit(userId, sessionId, 'invalidated', deps.now());
  logger().warn({ event: 'guidance.password_leak_reported', userId, guidanceSessionId: sessionId }, 'guidance password reported as leaked');
  const next = await openGuidance(userId, {}, deps);
  if (next.ok) await db.update(guidanceSessions).set({ replacedBy: next.session.id }).where(eq(guidanceSessions.id, sessionId));
  return next;
}

export interface GuidanceOverview {
  sessions: GuidanceSessionView[];
  audit: AuditEntry[];
  /** The time the states were settled at: where the page's countdowns start. */
  checkedAt: Date;
}

/** The user's most recent sessions (ten, or `limit`), newest first, with expiries settled. */
// Read by the dashboard and /guidance.
const latestSessions = prepared((db) =>
  db
    .select()
    .from(guidanceSessions)
    .where(eq(guidanceSessions.userId, sql.placeholder('userId')))
    .orderBy(desc(guidanceSessions.createdAt))
    .limit(sql.placeholder('limit'))
    .prepare('guidance_sessions_latest'),
);

export async function recentGuidanceSessions(userId: string, now: Date, limit = 10): Promise<GuidanceSessionView[]> {
  const rows = await (await latestSessions()).execute({ userId, limit });
  const sessions: GuidanceSessionView[] = [];
  for (const row of rows) {
    sessions.push({
      id: row.id,
      url: row.url,
      createdAt: row.createdAt,
      passwordState: await settleExpiry(row, now),
      passwordExpiresAt: row.passwordExpiresAt,
      replacedBy: row.replacedBy,
    });
  }
  return sessions;
}

/** The user's recent sessions, with expiries settled, and the audit trail. */
export async function guidanceOverview(userId: string, deps: Pick<GuidanceDeps, 'now'> = { now: () => new Date() }): Promise<GuidanceOverview> {
  const now = deps.now();
  const sessions = await recentGuidanceSessions(userId, now);
  // After the sessions: settling an expiry adds to the trail.
  return { sessions, audit: await auditTrail(userId), checkedAt: now };
}
