import 'server-only';
import { and, count, eq, inArray } from 'drizzle-orm';
import { FinqwareError } from '@/lib/finqware/errors';
import type { StepResult } from '@/lib/finqware/client';
import { NONCE_TTL_MS, UPLOAD_KINDS, type StepKind } from '@guidepost/provider-contracts/finqware';
import { getDb } from '@/lib/db/client';
import { onboardings, onboardingSteps, users, type OnboardingRow } from '@/lib/db/schema';
import { revokeHandoffs } from '@/lib/handoff/store';
import { logger } from '@/lib/log';
import { listSkills } from './catalog';
import { claim, release } from './claims';
import { completeWithTempToken } from './completion';
import { defaultDeps, type OnboardingDeps } from './deps';
import { OnboardingError, rethrowFromFinqware } from './errors';
import { toFinqwareData } from './finqware-step-data';
import { providerFileName, type SanitisedFile } from './sanitise-upload';
import { openAtRest, sealAtRest, sealedAt } from './sealing';
import type { UploadKind } from './step-schemas';
import { MAX_ONBOARDINGS_IN_PROGRESS, UNFINISHED_STATUSES } from './types';

// An onboarding's way through its steps: started, each step sent with the current nonce (forms and
// uploads), restarted as a new Finqware session, or abandoned. The end (the token exchange) is
// lib/onboarding/completion.ts.

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

export async function startOnboarding(userId: string, skillId: string, deps: OnboardingDeps = defaultDeps()): Promise<string> {
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
    rethrowFromFinqware(error);
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
  await db
    .update(onboardings)
    .set({ nonceSealed: sealAtRest(started.nonce, sealedAt.nonce(row!.id)) })
    .where(eq(onboardings.id, row!.id));
  logger().info({ event: 'onboarding.started', userId, onboardingId: row!.id, skill: skill.id }, 'onboarding started');
  return row!.id;
}

function checkExpected(row: OnboardingRow, stepIndex: number, now: Date, upload: boolean): { nonce: string; kind: StepKind; name: string } {
  if (row.status !== 'in_progress') throw new OnboardingError('completed', 'This onboarding is already finished.');
  if (stepIndex !== row.currentStep) throw new OnboardingError('already_submitted', 'This step was already sent. Here is where you are now.');
  const step = row.steps[stepIndex];
  if (!step) throw new OnboardingError('not_found', 'This step does not exist.');
  const kind = step.kind as StepKind;
  if (UPLOAD_KINDS.includes(kind) !== upload) throw new OnboardingError('invalid_input', 'This step expects another kind of answer.');
  if (!row.nonceSealed || !row.nonceIssuedAt || now.getTime() - row.nonceIssuedAt.getTime() >= NONCE_TTL_MS)
    rethrowFromFinqware(new FinqwareError('nonce_expired'));
  return { nonce: openAtRest(row.nonceSealed, sealedAt.nonce(row.id)), kind, name: step.name };
}

async function saveAnswers(id: string, stepIndex: number, answers: Record<string, string>, stepId: string | null, completedAt: Date | null): Promise<void> {
  const db = await getDb();
  const answersSealed = sealAtRest(JSON.stringify(answers), sealedAt.answers(id, stepIndex));
  await db
    .insert(onboardingSteps)
    .values({ onboardingId: id, stepIndex, stepId, answersSealed, completedAt })
    .onConflictDoUpdate({ target: [onboardingSteps.onboardingId, onboardingSteps.stepIndex], set: { stepId, answersSealed, completedAt } });
}

/** Moves on after Finqware answered a step (or an upload): the next nonce, or the end and the token exchange. */
async function advance(row: OnboardingRow, result: StepResult, deps: OnboardingDeps): Promise<void> {
  // The step is done, wherever it was sent from: its phone hand-off links and sessions end here.
  await revokeHandoffs(await getDb(), row.id, row.currentStep, deps.now());
  if (result.status !== 'in_progress') return completeWithTempToken(row, result.tempToken, deps);
  const db = await getDb();
  const now = deps.now();
  await db
    .update(onboardings)
    .set({
      currentStep: row.currentStep + 1,
      awaitingUpload: false,
      currentStepId: null,
      nonceSealed: sealAtRest(result.nonce, sealedAt.nonce(row.id)),
      nonceIssuedAt: now,
      updatedAt: now,
    })
    .where(eq(onboardings.id, row.id));
}

/** Sends a form step (product form, personal data, consent) to Finqware with the current nonce. */
export async function submitFormStep(
  userId: string,
  id: string,
  stepIndex: number,
  answers: Record<string, string>,
  deps: OnboardingDeps = defaultDeps(),
): Promise<void> {
  const now = deps.now();
  const row = await claim(userId, id, now);
  try {
    const expected = checkExpected(row, stepIndex, now, false);
    let result: StepResult;
    try {
      result = await deps.finqware.submitStep({
        sessionId: row.finqwareSessionId!,
        skillId: row.skillId,
        step: expected.name,
        nonce: expected.nonce,
        data: toFinqwareData(expected.kind, answers),
      });
    } catch (error) {
      await saveAnswers(id, stepIndex, answers, null, null); // what the user typed is kept for the retry
      rethrowFromFinqware(error);
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
  deps: OnboardingDeps = defaultDeps(),
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
        submitted = await deps.finqware.submitStep({
          sessionId: row.finqwareSessionId!,
          skillId: row.skillId,
          step: expected.name,
          nonce,
          data: toFinqwareData(expected.kind, answers),
        });
      } catch (error) {
        await saveAnswers(id, stepIndex, answers, null, null);
        rethrowFromFinqware(error);
      }
      if (submitted.status !== 'in_progress') throw new OnboardingError('upstream', 'Finqware ended the session before the file was sent.');
      stepId = submitted.stepId;
      nonce = submitted.nonce;
      const db = await getDb();
      const [updated] = await db
        .update(onboardings)
        .set({ awaitingUpload: true, currentStepId: stepId, nonceSealed: sealAtRest(nonce, sealedAt.nonce(id)), nonceIssuedAt: deps.now() })
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
      rethrowFromFinqware(error);
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
export async function abandonOnboarding(userId: string, id: string, deps: OnboardingDeps = defaultDeps()): Promise<void> {
  const row = await claim(userId, id, deps.now());
  let deleted = false;
  try {
    if (!(UNFINISHED_STATUSES as readonly string[]).includes(row.status))
      throw new OnboardingError('completed', 'This onboarding is already finished: there is nothing to abandon.');
    const db = await getDb();
    await db.delete(onboardings).where(and(eq(onboardings.id, id), eq(onboardings.userId, userId)));
    deleted = true;
    logger().info({ event: 'onboarding.abandoned', userId, onboardingId: id }, 'onboarding abandoned');
  } finally {
    if (!deleted) await release(id);
  }
}

/** A new Finqware session for the same product, from the first step; typed answers stay, files must be chosen again. */
export async function restartOnboarding(userId: string, id: string, deps: OnboardingDeps = defaultDeps()): Promise<void> {
  const row = await claim(userId, id, deps.now());
  try {
    // In progress, or stranded by a lost token exchange: both start again from the first step.
    if (row.status !== 'in_progress' && row.status !== 'exchange_lost') throw new OnboardingError('completed', 'This onboarding is already finished.');
    let started;
    try {
      started = await deps.finqware.startSession(userId, row.skillId);
    } catch (error) {
      rethrowFromFinqware(error);
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
        nonceSealed: sealAtRest(started.nonce, sealedAt.nonce(id)),
        nonceIssuedAt: now,
        lastErrorRef: null,
        updatedAt: now,
      })
      .where(eq(onboardings.id, id));
    await db.update(onboardingSteps).set({ completedAt: null, stepId: null }).where(eq(onboardingSteps.onboardingId, id));
    await revokeHandoffs(db, id, undefined, now);
    logger().info({ event: 'onboarding.restarted', userId, onboardingId: id }, 'onboarding restarted');
  } finally {
    await release(id);
  }
}
