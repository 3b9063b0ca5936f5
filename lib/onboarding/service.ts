import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, count, desc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { FinqwareError, finqwareErrorMessage, isFinqwareError } from '@/lib/finqware/errors';
import { finqwareClient, type FinqwareClient, type Skill, type StepResult } from '@/lib/finqware/client';
import { NONCE_TTL_MS, TEMP_TOKEN_KEEP_MS, UPLOAD_KINDS, type StepKind } from '@guidepost/provider-contracts/finqware';
import { getDb } from '@/lib/db/client';
import { finqwareCredentials, onboardings, onboardingSteps, users, type FinqwareCredentialsRow, type OnboardingRow } from '@/lib/db/schema';
import { logger } from '@/lib/log';
import { OnboardingError, isOnboardingError } from './errors';
import { providerFileName, type SanitisedFile } from './sanitise-upload';
import { openAtRest, sealAtRest, sealedAt } from './sealing';
import { toFinqwareData, type UploadKind } from './step-schemas';
import { MAX_ONBOARDINGS_IN_PROGRESS, STEP_LABELS, UNFINISHED_STATUSES, type StepView } from './types';

export interface OnboardingDeps {
  finqware: FinqwareClient;
  now: () => Date;
}

const defaults = (): OnboardingDeps => ({ finqware: finqwareClient(), now: () => new Date() });

// A request that died mid-call must not block the onboarding for ever.
const STALE_CLAIM_MS = 2 * 60 * 1000;

// --- Catalog -------------------------------------------------------------------------------------

const catalogCache = globalThis as unknown as { __guidepostCatalog?: { at: number; skills: Skill[] } };
const CATALOG_TTL_MS = 5 * 60 * 1000;

/** The skills the tenant may offer, from Finqware's catalog (cached for five minutes). */
export async function listSkills(deps: OnboardingDeps = defaults()): Promise<Skill[]> {
  const cached = catalogCache.__guidepostCatalog;
  if (cached && deps.now().getTime() - cached.at < CATALOG_TTL_MS) return cached.skills;
  const skills = await deps.finqware.catalog();
  catalogCache.__guidepostCatalog = { at: deps.now().getTime(), skills };
  return skills;
}

export function clearCatalogCache(): void {
  catalogCache.__guidepostCatalog = undefined;
}

// --- Reading -------------------------------------------------------------------------------------

export interface OnboardingView {
  id: string;
  skillId: string;
  skillName: string;
  status: 'in_progress' | 'completed' | 'revoked' | 'exchange_pending' | 'exchange_lost';
  steps: StepView[];
  current: number;
  awaitingUpload: boolean;
  /** The current nonce is older than Finqware's 30 minutes: the user must restart. */
  nonceExpired: boolean;
  answers: Record<number, Record<string, string>>;
  createdAt: Date;
  completedAt: Date | null;
  consent?: { expiresAt: Date; revokedAt: Date | null };
  /** Finqware's error id of the last failure shown to the user, for support. */
  errorReference: string | null;
}

// Where each sealed value lives: its associated data, shared with the key rotation (lib/onboarding/sealing.ts).
const where = sealedAt;

function stepViews(row: OnboardingRow): StepView[] {
  return row.steps.map((step, index) => {
    const kind = (Object.keys(STEP_LABELS) as StepKind[]).includes(step.kind as StepKind) ? (step.kind as StepKind) : 'unknown';
    const done = row.status !== 'in_progress' || index < row.currentStep;
    return { index, name: step.name, kind, label: kind === 'unknown' ? step.name : STEP_LABELS[kind], state: done ? 'done' : index === row.currentStep ? 'current' : 'todo' };
  });
}

async function ownedRow(userId: string, id: string): Promise<OnboardingRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const db = await getDb();
  const [row] = await db.select().from(onboardings).where(and(eq(onboardings.id, id), eq(onboardings.userId, userId)));
  return row;
}

export async function getOnboarding(userId: string, id: string, now = new Date()): Promise<OnboardingView | undefined> {
  const row = await ownedRow(userId, id);
  if (!row) return undefined;
  const db = await getDb();
  const stepRows = await db.select().from(onboardingSteps).where(eq(onboardingSteps.onboardingId, id));
  const answers: Record<number, Record<string, string>> = {};
  for (const step of stepRows) answers[step.stepIndex] = JSON.parse(openAtRest(step.answersSealed, where.answers(id, step.stepIndex))) as Record<string, string>;
  const [credentials] = await db.select().from(finqwareCredentials).where(eq(finqwareCredentials.onboardingId, id));
  return {
    id: row.id,
    skillId: row.skillId,
    skillName: row.skillName,
    status: row.status as OnboardingView['status'],
    steps: stepViews(row),
    current: row.currentStep,
    awaitingUpload: row.awaitingUpload,
    nonceExpired: row.status === 'in_progress' && (!row.nonceIssuedAt || now.getTime() - row.nonceIssuedAt.getTime() >= NONCE_TTL_MS),
    answers,
    createdAt: row.createdAt,
    completedAt: row.completedAt,
    consent: credentials ? { expiresAt: credentials.consentExpiresAt, revokedAt: credentials.revokedAt } : undefined,
    errorReference: row.lastErrorRef,
  };
}

export interface OnboardingSummary {
  id: string;
  skillName: string;
  status: OnboardingView['status'];
  stepsDone: number;
  stepsTotal: number;
  createdAt: Date;
  consentExpiresAt: Date | null;
  revokedAt: Date | null;
}

export async function listOnboardings(userId: string): Promise<OnboardingSummary[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(onboardings)
    .leftJoin(finqwareCredentials, eq(finqwareCredentials.onboardingId, onboardings.id))
    .where(eq(onboardings.userId, userId))
    .orderBy(desc(onboardings.createdAt));
  return rows.map(({ onboardings: row, finqware_credentials: credentials }) => ({
    id: row.id,
    skillName: row.skillName,
    status: row.status as OnboardingView['status'],
    stepsDone: row.status === 'in_progress' ? row.currentStep : row.steps.length,
    stepsTotal: row.steps.length,
    createdAt: row.createdAt,
    consentExpiresAt: credentials?.consentExpiresAt ?? null,
    revokedAt: credentials?.revokedAt ?? null,
  }));
}

// --- Changing --------------------------------------------------------------------------------------

const reference = (id: string | undefined) => (id ? ` (Reference: ${id})` : '');

function providerError(error: unknown): never {
  if (isFinqwareError(error)) {
    if (error.code === 'nonce_expired' || error.code === 'nonce_invalid') {
      throw new OnboardingError(
        'nonce_expired',
        `Your onboarding session with Finqware can no longer go on: its link to the next step expired (it lasts 30 minutes) or was already used. Restart it: your answers are kept, files must be chosen again.${reference(error.id)}`,
        { restart: true, reference: error.id },
      );
    }
    // Finqware no longer knows the session (purged, or the sandbox restarted): only a new session goes on.
    const restart = error.code === 'not_found';
    throw new OnboardingError('upstream', `${finqwareErrorMessage(error.code)} Your answers are kept.${reference(error.id)}`, { reference: error.id, restart });
  }
  throw error;
}

const tooManyInProgress = () =>
  new OnboardingError(
    'too_many',
  `You already have ${MAX_ONBOARDINGS_IN_PROGRESS} onboardings in progress, the most at once. Finish one, or abandon one you no longer need (“Abandon” in Your onboardings), then start this one.`,
);

/** How many of the user's onboardings are not finished yet (in progress, finishing, or waiting for a restart). */
async function unfinishedCount(executor: Pick<Awaited<ReturnType<typeof getDb>>, 'select'>, userId: string): Promise<number> {
  const [row] = await executor
    .select({ unfinished: count() })
    .from(onboardings)
    .where(and(eq(onboardings.userId, userId), inArray(onboardings.status, [...UNFINISHED_STATUSES])));
  return Number(row?.unfinished ?? 0);
}

export async function startOnboarding(userId: string, skillId: string, deps: OnboardingDeps = defaults()): Promise<string> {
  const skill = (await listSkills(deps)).find((candidate) => candidate.id === skillId);
  if (!skill) throw new OnboardingError('not_found', 'This product is not offered.');
  if (skill.steps.some((step) => step.kind === 'unknown')) throw new OnboardingError('not_found', 'Guidepost cannot run this product’s steps yet.');
  const db = await getDb();
  // Checked before Finqware is asked for a session, and again below where it counts.
  if ((await unfinishedCount(db, userId)) >= MAX_ONBOARDINGS_IN_PROGRESS) throw tooManyInProgress();
  let started;
  try {
    started = await deps.finqware.startSession(userId, skill.id);
  } catch (error) {
    providerError(error);
  }
  // The user's row is locked while counting and inserting, so two starts at once (two tabs) cannot both
  // pass the limit. The Finqware session of a refused start is left to expire with its nonce.
  const row = await db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
    if ((await unfinishedCount(tx, userId)) >= MAX_ONBOARDINGS_IN_PROGRESS) throw tooManyInProgress();
    const [inserted] = await tx
      .insert(onboardings)
      .values({ userId, skillId: skill.id, skillName: skill.name, steps: skill.steps, finqwareSessionId: started.sessionId, nonceIssuedAt: deps.now() })
      .returning({ id: onboardings.id });
    return inserted;
  });
  await db.update(onboardings).set({ nonceSealed: sealAtRest(started.nonce, where.nonce(row!.id)) }).where(eq(onboardings.id, row!.id));
  logger().info({ event: 'onboarding.started', userId, onboardingId: row!.id, skill: skill.id }, 'onboarding started');
  return row!.id;
}

/** Takes the onboarding for one request; a second click or tab gets 'in_progress' instead of a second call to Finqware. */
async function claim(userId: string, id: string, now: Date): Promise<OnboardingRow> {
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
  if (!(await ownedRow(userId, id))) throw new OnboardingError('not_found', 'This onboarding was not found.');
  throw new OnboardingError('in_progress', 'This step is already being sent (from another click or tab). The page shows where you are once it is done.');
}

async function release(id: string): Promise<void> {
  const db = await getDb();
  await db.update(onboardings).set({ submittingSince: null }).where(eq(onboardings.id, id));
}

function checkExpected(row: OnboardingRow, stepIndex: number, now: Date, upload: boolean): { nonce: string; kind: StepKind; name: string } {
  if (row.status !== 'in_progress') throw new OnboardingError('completed', 'This onboarding is already finished.');
  if (stepIndex !== row.currentStep) throw new OnboardingError('already_submitted', 'This step was already sent. Here is where you are now.');
  const step = row.steps[stepIndex];
  if (!step) throw new OnboardingError('not_found', 'This step does not exist.');
  const kind = step.kind as StepKind;
  if (UPLOAD_KINDS.includes(kind) !== upload) throw new OnboardingError('invalid_input', 'This step expects another kind of answer.');
  if (!row.nonceSealed || !row.nonceIssuedAt || now.getTime() - row.nonceIssuedAt.getTime() >= NONCE_TTL_MS) providerError(new FinqwareError('nonce_expired'));
  return { nonce: openAtRest(row.nonceSealed!, where.nonce(row.id)), kind, name: step.name };
}

async function saveAnswers(id: string, stepIndex: number, answers: Record<string, string>, stepId: string | null, completedAt: Date | null): Promise<void> {
  const db = await getDb();
  const answersSealed = sealAtRest(JSON.stringify(answers), where.answers(id, stepIndex));
  await db
    .insert(onboardingSteps)
    .values({ onboardingId: id, stepIndex, stepId, answersSealed, completedAt })
    .onConflictDoUpdate({ target: [onboardingSteps.onboardingId, onboardingSteps.stepIndex], set: { stepId, answersSealed, completedAt } });
}

/** Moves on after Finqware answered a step (or an upload): the next nonce, or the end and the token exchange. */
async function advance(row: OnboardingRow, result: StepResult, deps: OnboardingDeps): Promise<void> {
  const db = await getDb();
  const now = deps.now();
  if (result.status === 'in_progress') {
    await db
      .update(onboardings)
      .set({ currentStep: row.currentStep + 1, awaitingUpload: false, currentStepId: null, nonceSealed: sealAtRest(result.nonce, where.nonce(row.id)), nonceIssuedAt: now, updatedAt: now })
      .where(eq(onboardings.id, row.id));
    return;
  }
  // The temp_token is exchanged at once, on the server; it is kept (encrypted) only until that succeeds.
  await db
    .update(onboardings)
    .set({
      status: 'exchange_pending',
      currentStep: row.steps.length,
      awaitingUpload: false,
      currentStepId: null,
      nonceSealed: sealAtRest(result.tempToken, where.nonce(row.id)),
      nonceIssuedAt: now,
      updatedAt: now,
    })
    .where(eq(onboardings.id, row.id));
  try {
    await exchange(row, result.tempToken, deps);
  } catch (error) {
    // Every step went through: the step itself succeeded. The failed exchange is on the row, and the
    // onboarding's page offers "Finish onboarding" (or the restart when the exchange can no longer work).
    if (!isOnboardingError(error)) throw error;
  }
}

const EXCHANGE_LOST_MESSAGE =
  'Finqware finished your onboarding, but its answer never reached Guidepost, so the consent could not be saved. Restart the onboarding to give it again: your answers are kept, files must be chosen again.';

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
  return new OnboardingError('exchange_lost', `${EXCHANGE_LOST_MESSAGE}${reference(details.finqwareErrorId)}`, { restart: true, reference: details.finqwareErrorId });
}

async function exchange(row: OnboardingRow, tempToken: string, deps: OnboardingDeps): Promise<void> {
  const { userId, id } = row;
  let grant;
  try {
    grant = await deps.finqware.exchangeTempToken(tempToken);
  } catch (error) {
    const finqwareErrorId = isFinqwareError(error) ? error.id : undefined;
    // Refused for good: used already (by an exchange whose answer we lost) or expired.
    if (isFinqwareError(error) && error.finqwareCode === 'invalid_temp_token') throw await exchangeLost(row, deps, { finqwareErrorId, cause: 'invalid_temp_token' });
    logger().error({ event: 'onboarding.exchange_failed', onboardingId: id, code: isFinqwareError(error) ? error.code : 'unknown', finqwareErrorId }, 'token exchange failed');
    const db = await getDb();
    await db.update(onboardings).set({ lastErrorRef: finqwareErrorId ?? null }).where(eq(onboardings.id, id));
    throw new OnboardingError(
      'upstream',
      `Your answers reached Finqware, but finishing the onboarding failed. Try “Finish onboarding” again in a moment.${reference(finqwareErrorId)}`,
      { reference: finqwareErrorId },
    );
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
      credentialsIdSealed: sealAtRest(grant.credentialsId, where.credentialsId(credentialsRowId)),
      accessTokenSealed: sealAtRest(grant.accessToken, where.accessToken(credentialsRowId)),
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

/** Sends a form step (product form, personal data, consent) to Finqware with the current nonce. */
export async function submitFormStep(userId: string, id: string, stepIndex: number, answers: Record<string, string>, deps: OnboardingDeps = defaults()): Promise<void> {
  const now = deps.now();
  const row = await claim(userId, id, now);
  try {
    const expected = checkExpected(row, stepIndex, now, false);
    let result: StepResult;
    try {
      result = await deps.finqware.submitStep({ sessionId: row.finqwareSessionId!, skillId: row.skillId, step: expected.name, nonce: expected.nonce, data: toFinqwareData(expected.kind, answers) });
    } catch (error) {
      await saveAnswers(id, stepIndex, answers, null, null); // what the user typed is kept for the retry
      providerError(error);
    }
    await saveAnswers(id, stepIndex, answers, result.stepId, now);
    await advance(row, result, deps);
  } finally {
    await release(id);
  }
}

/**
 * Sends an upload step: the step itself (once), then its file; the file is never stored. Only a sanitised
 * file goes to Finqware, under a name of ours; the user's own name is kept with the answers, to show them.
 */
export async function submitUploadStep(
  userId: string,
  id: string,
  stepIndex: number,
  answers: Record<string, string>,
  upload: { file: SanitisedFile; shownName: string },
  deps: OnboardingDeps = defaults(),
): Promise<void> {
  const { file } = upload;
  const now = deps.now();
  let row = await claim(userId, id, now);
  try {
    const expected = checkExpected(row, stepIndex, now, true);
    let nonce = expected.nonce;
    let stepId = row.currentStepId;
    const sent = { ...answers, fileName: upload.shownName, fileSize: String(file.bytes.byteLength) };
    if (!row.awaitingUpload || !stepId) {
      let submitted: StepResult;
      try {
        submitted = await deps.finqware.submitStep({ sessionId: row.finqwareSessionId!, skillId: row.skillId, step: expected.name, nonce, data: toFinqwareData(expected.kind, answers) });
      } catch (error) {
        await saveAnswers(id, stepIndex, answers, null, null);
        providerError(error);
      }
      if (submitted.status !== 'in_progress') throw new OnboardingError('upstream', 'Finqware ended the session before the file was sent.');
      stepId = submitted.stepId;
      nonce = submitted.nonce;
      const db = await getDb();
      const [updated] = await db
        .update(onboardings)
        .set({ awaitingUpload: true, currentStepId: stepId, nonceSealed: sealAtRest(nonce, where.nonce(id)), nonceIssuedAt: deps.now() })
        .where(eq(onboardings.id, id))
        .returning();
      row = updated!;
      await saveAnswers(id, stepIndex, answers, stepId, null);
    }
    let result: StepResult;
    try {
      const filename = providerFileName(expected.kind as UploadKind, file.contentType);
      result = await deps.finqware.uploadToStep({ stepId, skillId: row.skillId, nonce, file: { bytes: file.bytes, contentType: file.contentType, filename } });
    } catch (error) {
      providerError(error);
    }
    await saveAnswers(id, stepIndex, sent, stepId, deps.now());
    await advance(row, result, deps);
  } finally {
    await release(id);
  }
}

/**
 * Abandons an onboarding that is not finished: it and every answer kept with it are deleted, which frees
 * a place under the limit of onboardings in progress. Finqware documents no call to close a session; ours
 * simply stops being used and its nonce expires.
 */
export async function abandonOnboarding(userId: string, id: string, deps: OnboardingDeps = defaults()): Promise<void> {
  const row = await claim(userId, id, deps.now());
  let deleted = false;
  try {
    if (!(UNFINISHED_STATUSES as readonly string[]).includes(row.status)) throw new OnboardingError('completed', 'This onboarding is already finished: there is nothing to abandon.');
    const db = await getDb();
    await db.delete(onboardings).where(and(eq(onboardings.id, id), eq(onboardings.userId, userId)));
    deleted = true;
    logger().info({ event: 'onboarding.abandoned', userId, onboardingId: id }, 'onboarding abandoned');
  } finally {
    if (!deleted) await release(id);
  }
}

/** Retries the token exchange of an onboarding whose last step went through but whose exchange failed. */
export async function finishOnboarding(userId: string, id: string, deps: OnboardingDeps = defaults()): Promise<void> {
  const row = await claim(userId, id, deps.now());
  try {
    if (row.status !== 'exchange_pending' || !row.nonceSealed) throw new OnboardingError('completed', 'This onboarding has nothing left to finish.');
    if (!row.nonceIssuedAt || deps.now().getTime() - row.nonceIssuedAt.getTime() >= TEMP_TOKEN_KEEP_MS) {
      throw await exchangeLost(row, deps, { cause: 'temp_token_too_old' });
    }
    await exchange(row, openAtRest(row.nonceSealed, where.nonce(id)), deps);
  } finally {
    await release(id);
  }
}

/** A new Finqware session for the same product, from the first step; typed answers stay, files must be chosen again. */
export async function restartOnboarding(userId: string, id: string, deps: OnboardingDeps = defaults()): Promise<void> {
  const row = await claim(userId, id, deps.now());
  try {
    // In progress, or stranded by a lost token exchange: both start again from the first step.
    if (row.status !== 'in_progress' && row.status !== 'exchange_lost') throw new OnboardingError('completed', 'This onboarding is already finished.');
    let started;
    try {
      started = await deps.finqware.startSession(userId, row.skillId);
    } catch (error) {
      providerError(error);
    }
    const db = await getDb();
    const now = deps.now();
    await db
      .update(onboardings)
      .set({
        status: 'in_progress',
        finqwareSessionId: started.sessionId,
        currentStep: 0,
        awaitingUpload: false,
        currentStepId: null,
        nonceSealed: sealAtRest(started.nonce, where.nonce(id)),
        nonceIssuedAt: now,
        lastErrorRef: null,
        updatedAt: now,
      })
      .where(eq(onboardings.id, id));
    await db.update(onboardingSteps).set({ completedAt: null, stepId: null }).where(eq(onboardingSteps.onboardingId, id));
    logger().info({ event: 'onboarding.restarted', userId, onboardingId: id }, 'onboarding restarted');
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
    .where(and(eq(onboardings.status, 'exchange_pending'), or(isNull(onboardings.nonceIssuedAt), lt(onboardings.nonceIssuedAt, new Date(now.getTime() - TEMP_TOKEN_KEEP_MS)))))
    .returning({ id: onboardings.id, userId: onboardings.userId, finqwareSessionId: onboardings.finqwareSessionId });
  for (const row of stale) {
    logger().error(
      { event: 'onboarding.exchange_orphaned', userId: row.userId, onboardingId: row.id, finqwareSessionId: row.finqwareSessionId, cause: 'temp_token_too_old' },
      'token exchange never completed: the temp_token was dropped; the user will be asked to restart',
    );
  }
  return stale.length;
}

/** consents/delete for one stored grant, opened from its sealed columns. */
function revokeAtFinqware(credentials: FinqwareCredentialsRow, deps: OnboardingDeps): Promise<void> {
  return deps.finqware.revokeConsent({
    credentialsId: openAtRest(credentials.credentialsIdSealed, where.credentialsId(credentials.id)),
    accessToken: openAtRest(credentials.accessTokenSealed, where.accessToken(credentials.id)),
  });
}

/** The grant and its onboarding are marked revoked once Finqware confirmed. */
async function recordRevoked(credentials: FinqwareCredentialsRow, now: Date): Promise<void> {
  const db = await getDb();
  await db.update(finqwareCredentials).set({ revokedAt: now }).where(eq(finqwareCredentials.id, credentials.id));
  await db.update(onboardings).set({ status: 'revoked', updatedAt: now }).where(eq(onboardings.id, credentials.onboardingId));
}

// Finqware's answers that say a consent is no longer usable: there is nothing left to revoke.
const CONSENT_ALREADY_GONE = new Set(['expired_credentials', 'inactive_credentials', 'invalid_credentials_id']);

/**
 * Revokes every consent the user still holds at Finqware (account deletion). Throws if Finqware cannot
 * be reached or refuses for another reason, so the caller deletes nothing.
 */
export async function revokeAllConsents(userId: string, deps: OnboardingDeps = defaults()): Promise<number> {
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
export async function revokeOnboarding(userId: string, id: string, deps: OnboardingDeps = defaults()): Promise<void> {
  const db = await getDb();
  const [credentials] = await db
    .select()
    .from(finqwareCredentials)
    .where(and(eq(finqwareCredentials.onboardingId, id), eq(finqwareCredentials.userId, userId)));
  if (!credentials) throw new OnboardingError('not_found', 'This onboarding has no consent to revoke.');
  if (credentials.revokedAt) return;
  try {
    await revokeAtFinqware(credentials, deps);
  } catch (error) {
    providerError(error);
  }
  await recordRevoked(credentials, deps.now());
  logger().info({ event: 'onboarding.consent_revoked', userId, onboardingId: id }, 'consent revoked');
}
