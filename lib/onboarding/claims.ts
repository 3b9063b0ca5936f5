import 'server-only';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { getDb } from '@/lib/db/client';
import { onboardings, type OnboardingRow } from '@/lib/db/schema';
import { onboardingError } from './errors';

// One request at a time works on an onboarding: it claims the row in one conditional UPDATE, and only
// the claimant talks to Finqware.

// A request that died mid-call must not block the onboarding for ever.
const STALE_CLAIM_MS = 2 * 60 * 1000;

/** The user's onboarding row, or undefined (another user's answers exactly like an unknown id). */
export async function ownedRow(userId: string, id: string): Promise<OnboardingRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const db = await getDb();
  const [row] = await db
    .select()
    .from(onboardings)
    .where(and(eq(onboardings.id, id), eq(onboardings.userId, userId)));
  return row;
}

/** Takes the onboarding for one request; a second click or tab gets 'in_progress' instead of a second call to Finqware. */
export async function claim(userId: string, id: string, now: Date): Promise<OnboardingRow> {
  const db = await getDb();
  const [row] = await db
    .update(onboardings)
    .set({ submittingSince: now })
    .where(
      and(
        eq(onboardings.id, id),
        eq(onboardings.userId, userId),
        or(isNull(onboardings.submittingSince), lt(onboardings.submittingSince, new Date(now.getTime() - STALE_CLAIM_MS))),
      ),
    )
    .returning();
  if (row) return row;
  if (!(await ownedRow(userId, id))) throw await onboardingError('not_found', 'errors.notFound');
  throw await onboardingError('in_progress', 'errors.busy');
}

export async function release(id: string): Promise<void> {
  const db = await getDb();
  await db.update(onboardings).set({ submittingSince: null }).where(eq(onboardings.id, id));
}
