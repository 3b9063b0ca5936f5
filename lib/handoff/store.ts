import 'server-only';
import { and, desc, eq, exists, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db/client';
import { authSessions, onboardings, phoneHandoffs, type PhoneHandoffRow } from '@/lib/db/schema';
import { hashHandoffToken, isHandoffToken } from './token';

// The hand-off links' table (phone_handoffs): made, taken once, revoked, swept. Database work only; the
// checks of who may make one for which step are in service.ts, the phone's session in open.ts.

type Db = Awaited<ReturnType<typeof getDb>>;
type Executor = Pick<Db, 'select' | 'update' | 'insert'>;

export interface HandoffTarget {
  userId: string;
  onboardingId: string;
  stepIndex: number;
}

// Rows stay a day for the desktop's status and support questions, then go (their sessions with them).
const KEEP_MS = 24 * 60 * 60 * 1000;

// The onboarding is still at the hand-off's step: a link for a step the desktop has moved past opens nothing.
const stepStillCurrent = (db: Pick<Db, 'select'>) =>
  exists(
    db
      .select({ one: sql`1` })
      .from(onboardings)
      .where(
        and(
          eq(onboardings.id, phoneHandoffs.onboardingId),
          eq(onboardings.userId, phoneHandoffs.userId),
          eq(onboardings.status, 'in_progress'),
          eq(onboardings.currentStep, phoneHandoffs.stepIndex),
        ),
      ),
  );

/**
 * Ends the step's links not yet ended, and the phone sessions they opened. `stepIndex` undefined: every
 * step of the onboarding (a restart).
 */
export async function revokeHandoffs(executor: Executor, onboardingId: string, stepIndex: number | undefined, now: Date): Promise<void> {
  const scope =
    stepIndex === undefined
      ? eq(phoneHandoffs.onboardingId, onboardingId)
      : and(eq(phoneHandoffs.onboardingId, onboardingId), eq(phoneHandoffs.stepIndex, stepIndex));
  const ended = await executor
    .update(phoneHandoffs)
    .set({ revokedAt: now })
    .where(and(scope, isNull(phoneHandoffs.revokedAt)))
    .returning({ id: phoneHandoffs.id });
  if (ended.length === 0) return;
  await executor
    .update(authSessions)
    .set({ revokedAt: now })
    .where(
      and(
        inArray(
          authSessions.handoffId,
          ended.map((row) => row.id),
        ),
        isNull(authSessions.revokedAt),
      ),
    );
}

/** Stores a new link for the step (its hash only) and ends the step's earlier ones with their sessions. */
export async function insertHandoff(target: HandoffTarget, token: string, expiresAt: Date, now: Date): Promise<PhoneHandoffRow> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    await revokeHandoffs(tx, target.onboardingId, target.stepIndex, now);
    const [row] = await tx
      .insert(phoneHandoffs)
      .values({ ...target, tokenHash: hashHandoffToken(token), createdAt: now, expiresAt })
      .returning();
    return row!;
  });
}

/**
 * Takes a link, once: one conditional UPDATE, so of two phones (or two taps) at the same moment exactly
 * one gets the row. Used, revoked, expired, unknown, or for a step the onboarding is no longer at: undefined.
 */
export async function consumeHandoff(executor: Executor, token: string, now: Date): Promise<PhoneHandoffRow | undefined> {
  if (!isHandoffToken(token)) return undefined;
  const [row] = await executor
    .update(phoneHandoffs)
    .set({ usedAt: now })
    .where(
      and(
        eq(phoneHandoffs.tokenHash, hashHandoffToken(token)),
        isNull(phoneHandoffs.usedAt),
        isNull(phoneHandoffs.revokedAt),
        gt(phoneHandoffs.expiresAt, now),
        stepStillCurrent(executor),
      ),
    )
    .returning();
  return row;
}

/** Whether a link would still open (the page before it is taken); takes nothing. */
export async function handoffUsable(token: string, now: Date): Promise<boolean> {
  if (!isHandoffToken(token)) return false;
  const db = await getDb();
  const [row] = await db
    .select({ id: phoneHandoffs.id })
    .from(phoneHandoffs)
    .where(
      and(
        eq(phoneHandoffs.tokenHash, hashHandoffToken(token)),
        isNull(phoneHandoffs.usedAt),
        isNull(phoneHandoffs.revokedAt),
        gt(phoneHandoffs.expiresAt, now),
        stepStillCurrent(db),
      ),
    );
  return row !== undefined;
}

export async function handoffById(id: string): Promise<PhoneHandoffRow | undefined> {
  const db = await getDb();
  const [row] = await db.select().from(phoneHandoffs).where(eq(phoneHandoffs.id, id));
  return row;
}

/** The step's newest link, if any. */
export async function latestHandoff(target: HandoffTarget): Promise<PhoneHandoffRow | undefined> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(phoneHandoffs)
    .where(and(eq(phoneHandoffs.userId, target.userId), eq(phoneHandoffs.onboardingId, target.onboardingId), eq(phoneHandoffs.stepIndex, target.stepIndex)))
    .orderBy(desc(phoneHandoffs.createdAt))
    .limit(1);
  return row;
}

/** Deletes links older than a day, and (by cascade) the sessions they opened. Returns how many. */
export async function sweepHandoffs(now = new Date()): Promise<number> {
  const db = await getDb();
  const deleted = await db
    .delete(phoneHandoffs)
    .where(lt(phoneHandoffs.createdAt, new Date(now.getTime() - KEEP_MS)))
    .returning({ id: phoneHandoffs.id });
  return deleted.length;
}
