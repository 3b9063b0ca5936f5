import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { isFinqwareError } from '@/lib/finqware/errors';
import { TEMP_TOKEN_KEEP_MS } from '@guidepost/provider-contracts/finqware';
import { deleteConsentData } from '@/lib/bank-data/retention';
import { getDb } from '@/lib/db/client';
import { finqwareCredentials, onboardings, type FinqwareCredentialsRow, type OnboardingRow } from '@/lib/db/schema';
import { logger } from '@/lib/log';
import { claim, release } from './claims';
import { defaultDeps, type OnboardingDeps } from './deps';
import { OnboardingError, fromFinqware, isOnboardingError, onboardingError } from './errors';
import { openAtRest, sealAtRest, sealedAt } from './sealing';

// The end of an onboarding and what follows: the temp_token exchanged for the user's grant (and its
// loss), the sweep of temp_tokens kept too long, and the consent's revocation.

/**
 * The temp_token cannot be exchanged any more (Finqware used it for an exchange whose answer was lost,
 * or it expired): forget it, keep the answers, and send the user to a restart. Operators get the ids of
 * the orphaned exchange (never a token) to follow up with Finqware.
 */
async function exchangeLost(row: OnboardingRow, deps: OnboardingDeps, details: { finqwareErrorId?: string; cause: string }): Promise<OnboardingError> {
  const db = await getDb();
  await db
    .update(onboardings)
    .set({ status: 'exchange_lost', nonceSealed: null, nonceIssuedAt: null, lastErrorRef: details.finqwareErrorId ?? null, updatedAt: deps.now() })
    .where(and(eq(onboardings.id, row.id), eq(onboardings.status, 'exchange_pending')));
  logger().error(
    {
      event: 'onboarding.exchange_orphaned',
      userId: row.userId,
      onboardingId: row.id,
      finqwareSessionId: row.finqwareSessionId,
      skill: row.skillId,
      finqwareErrorId: details.finqwareErrorId,
      cause: details.cause,
    },
    'token exchange cannot complete: Finqware may hold a consent we never received; the user was asked to restart',
  );
  return onboardingError('exchange_lost', 'errors.exchangeLost', { restart: true, reference: details.finqwareErrorId });
}

async function exchange(row: OnboardingRow, tempToken: string, deps: OnboardingDeps): Promise<void> {
  const { userId, id } = row;
  let grant;
  try {
    grant = await deps.finqware.exchangeTempToken(tempToken);
  } catch (error) {
    const finqwareErrorId = isFinqwareError(error) ? error.id : undefined;
    // Refused for good: used already (by an exchange whose answer we lost) or expired.
    if (isFinqwareError(error) && error.finqwareCode === 'invalid_temp_token')
      throw await exchangeLost(row, deps, { finqwareErrorId, cause: 'invalid_temp_token' });
    logger().error(
      { event: 'onboarding.exchange_failed', onboardingId: id, code: isFinqwareError(error) ? error.code : 'unknown', finqwareErrorId },
      'token exchange failed',
    );
    const db = await getDb();
    await db
      .update(onboardings)
      .set({ lastErrorRef: finqwareErrorId ?? null })
      .where(eq(onboardings.id, id));
    throw await onboardingError('upstream', 'errors.exchangeFailed', { reference: finqwareErrorId });
  }
  const db = await getDb();
  const now = deps.now();
  // The row id is chosen here because the sealed values are bound to it.
  const credentialsRowId = randomUUID();
  await db.transaction(async (tx) => {
    await tx.insert(finqwareCredentials).values({
      id: credentialsRowId,
      userId,
      onboardingId: id,
      credentialsIdSealed: sealAtRest(grant.credentialsId, sealedAt.credentialsId(credentialsRowId)),
      accessTokenSealed: sealAtRest(grant.accessToken, sealedAt.accessToken(credentialsRowId)),
      consentExpiresAt: grant.consentExpiresAt,
      maxDataRetention: grant.maxDataRetention,
    });
    await tx
      .update(onboardings)
      .set({ status: 'completed', nonceSealed: null, nonceIssuedAt: null, lastErrorRef: null, completedAt: now, updatedAt: now })
      .where(eq(onboardings.id, id));
  });
  logger().info({ event: 'onboarding.completed', userId, onboardingId: id }, 'onboarding completed');
}

/**
 * Every step went through and Finqware gave a temp_token: it is exchanged at once, on the server, and kept
 * (encrypted) only until that succeeds. A failed exchange does not fail the step: it is on the row, and
 * the onboarding's page offers "Finish onboarding" (or the restart when the exchange can no longer work).
 */
export async function completeWithTempToken(row: OnboardingRow, tempToken: string, deps: OnboardingDeps): Promise<void> {
  const db = await getDb();
  const now = deps.now();
  await db
    .update(onboardings)
    .set({
      status: 'exchange_pending',
      currentStep: row.steps.length,
      awaitingUpload: false,
      currentStepId: null,
      nonceSealed: sealAtRest(tempToken, sealedAt.nonce(row.id)),
      nonceIssuedAt: now,
      updatedAt: now,
    })
    .where(eq(onboardings.id, row.id));
  try {
    await exchange(row, tempToken, deps);
  } catch (error) {
    if (!isOnboardingError(error)) throw error;
  }
}

/** Retries the token exchange of an onboarding whose last step went through but whose exchange failed. */
export async function finishOnboarding(userId: string, id: string, deps: OnboardingDeps = defaultDeps()): Promise<void> {
  const row = await claim(userId, id, deps.now());
  try {
    if (row.status !== 'exchange_pending' || !row.nonceSealed) throw await onboardingError('completed', 'errors.nothingToFinish');
    if (!row.nonceIssuedAt || deps.now().getTime() - row.nonceIssuedAt.getTime() >= TEMP_TOKEN_KEEP_MS) {
      throw await exchangeLost(row, deps, { cause: 'temp_token_too_old' });
    }
    await exchange(row, openAtRest(row.nonceSealed, sealedAt.nonce(id)), deps);
  } finally {
    await release(id);
  }
}

/**
 * Temp tokens are kept only while an exchange can still succeed: past TEMP_TOKEN_KEEP_MS the onboarding
 * is marked exchange_lost (the user is asked to restart) and the token is forgotten. Returns how many.
 */
export async function sweepStaleTempTokens(now = new Date()): Promise<number> {
  const db = await getDb();
  const stale = await db
    .update(onboardings)
    .set({ status: 'exchange_lost', nonceSealed: null, nonceIssuedAt: null, updatedAt: now })
    .where(
      and(
        eq(onboardings.status, 'exchange_pending'),
        or(isNull(onboardings.nonceIssuedAt), lt(onboardings.nonceIssuedAt, new Date(now.getTime() - TEMP_TOKEN_KEEP_MS))),
      ),
    )
    .returning({ id: onboardings.id, userId: onboardings.userId, finqwareSessionId: onboardings.finqwareSessionId });
  for (const row of stale) {
    logger().error(
      {
        event: 'onboarding.exchange_orphaned',
        userId: row.userId,
        onboardingId: row.id,
        finqwareSessionId: row.finqwareSessionId,
        cause: 'temp_token_too_old',
      },
      'token exchange never completed: the temp_token was dropped; the user will be asked to restart',
    );
  }
  return stale.length;
}

/** consents/delete for one stored grant, opened from its sealed columns. */
function revokeAtFinqware(credentials: FinqwareCredentialsRow, deps: OnboardingDeps): Promise<void> {
  return deps.finqware.revokeConsent({
    credentialsId: openAtRest(credentials.credentialsIdSealed, sealedAt.credentialsId(credentials.id)),
    accessToken: openAtRest(credentials.accessTokenSealed, sealedAt.accessToken(credentials.id)),
  });
}

/** The grant and its onboarding are marked revoked once Finqware confirmed, and the bank data it let us read is deleted. */
async function recordRevoked(credentials: FinqwareCredentialsRow, now: Date): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.update(finqwareCredentials).set({ revokedAt: now, syncingSince: null }).where(eq(finqwareCredentials.id, credentials.id));
    await tx.update(onboardings).set({ status: 'revoked', updatedAt: now }).where(eq(onboardings.id, credentials.onboardingId));
    await deleteConsentData(tx, credentials.userId, [credentials.id]);
  });
}

// Finqware's answers that say a consent is no longer usable: there is nothing left to revoke.
const CONSENT_ALREADY_GONE = new Set(['expired_credentials', 'inactive_credentials', 'invalid_credentials_id']);

/**
 * Revokes every consent the user still holds at Finqware (account deletion). Throws if Finqware cannot
 * be reached or refuses for another reason, so the caller deletes nothing.
 */
export async function revokeAllConsents(userId: string, deps: OnboardingDeps = defaultDeps()): Promise<number> {
  const db = await getDb();
  const held = await db
    .select()
    .from(finqwareCredentials)
    .where(and(eq(finqwareCredentials.userId, userId), isNull(finqwareCredentials.revokedAt)));
  for (const credentials of held) {
    try {
      await revokeAtFinqware(credentials, deps);
    } catch (error) {
      if (!isFinqwareError(error) || error.finqwareCode === undefined || !CONSENT_ALREADY_GONE.has(error.finqwareCode)) throw error;
    }
    await recordRevoked(credentials, deps.now());
  }
  if (held.length > 0) logger().info({ event: 'onboarding.consents_revoked', userId, count: held.length }, 'every consent revoked');
  return held.length;
}

/** Revokes the consent of a completed onboarding at Finqware (consents/delete) and records it. */
export async function revokeOnboarding(userId: string, id: string, deps: OnboardingDeps = defaultDeps()): Promise<void> {
  const db = await getDb();
  const [credentials] = await db
    .select()
    .from(finqwareCredentials)
    .where(and(eq(finqwareCredentials.onboardingId, id), eq(finqwareCredentials.userId, userId)));
  if (!credentials) throw await onboardingError('not_found', 'errors.noConsent');
  if (credentials.revokedAt) return;
  try {
    await revokeAtFinqware(credentials, deps);
  } catch (error) {
    throw await fromFinqware(error);
  }
  await recordRevoked(credentials, deps.now());
  logger().info({ event: 'onboarding.consent_revoked', userId, onboardingId: id }, 'consent revoked');
}
