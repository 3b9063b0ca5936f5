import 'server-only';
import { and, count, eq, inArray } from 'drizzle-orm';
import { FinqwareError } from '@/lib/finqware/errors';
import type { StepResult } from '@/lib/finqware/client';
import { NONCE_TTL_MS, UPLOAD_KINDS, uploadPages, type DocumentPage, type StepKind } from '@guidepost/provider-contracts/finqware';
import { getDb } from '@/lib/db/client';
import { onboardings, onboardingSteps, users, type OnboardingRow } from '@/lib/db/schema';
import { logger } from '@/lib/log';
import { listSkills } from './catalog';
import { claim, release } from './claims';
import { completeWithTempToken } from './completion';
import { defaultDeps, type OnboardingDeps } from './deps';
import { fromFinqware, onboardingError } from './errors';
import { toFinqwareData } from './finqware-step-data';
import { providerFileName, type SanitisedFile } from './sanitise-upload';
import { openAtRest, sealAtRest, sealedAt } from './sealing';
import type { UploadKind } from './step-schemas';
import { MAX_ONBOARDINGS_IN_PROGRESS, UNFINISHED_STATUSES } from './types';

// An onboarding's way through its steps: started, each step sent with the current nonce (forms and
// uploads), restarted as a new Finqware session, or abandoned. The end (the token exchange) is
// lib/onboarding/completion.ts.

const tooManyInProgress = () => onboardingError('too_many', 'errors.tooMany', { values: { max: MAX_ONBOARDINGS_IN_PROGRESS } });

/** How many of the user's onboardings are not finished yet (in progress, finishing, or waiting for a restart). */
async function unfinishedCount(executor: Pick<Awaited<ReturnType<typeof getDb>>, 'select'>, userId: string): Promise<number> {
  const [row] = await executor
    .select({ unfinished: count() })
    .from(onboardings)
    .where(and(eq(onboardings.userId, userId), inArray(onboardings.status, [...UNFINISHED_STATUSES])));
  return Number(row?.unfinished ?? 0);
}

export async function startOnboarding(userId: string, skillId: string, deps: OnboardingDeps = defaultDeps()): Promise<string> {
  let skills;
  try {
    skills = await listSkills(deps);
  } catch (error) {
    throw await fromFinqware(error);
  }
  const skill = skills.find((candidate) => candidate.id === skillId);
  if (!skill) throw await onboardingError('not_found', 'errors.productNotOffered');
  if (skill.steps.some((step) => step.kind === 'unknown')) throw await onboardingError('not_found', 'errors.productUnsupported');
  const db = await getDb();
  // Checked before Finqware is asked for a session, and again below where it counts.
  if ((await unfinishedCount(db, userId)) >= MAX_ONBOARDINGS_IN_PROGRESS) throw await tooManyInProgress();
  let started;
  try {
    started = await deps.finqware.startSession(userId, skill.id);
  } catch (error) {
    throw await fromFinqware(error);
  }
  // The user's row is locked while counting and inserting, so two starts at once (two tabs) cannot both
  // pass the limit. The Finqware session of a refused start is left to expire with its nonce.
  const row = await db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
    if ((await unfinishedCount(tx, userId)) >= MAX_ONBOARDINGS_IN_PROGRESS) throw await tooManyInProgress();
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

async function checkExpected(row: OnboardingRow, stepIndex: number, now: Date, upload: boolean): Promise<{ nonce: string; kind: StepKind; name: string }> {
  if (row.status !== 'in_progress') throw await onboardingError('completed', 'errors.alreadyFinished');
  if (stepIndex !== row.currentStep) throw await onboardingError('already_submitted', 'errors.alreadySent');
  const step = row.steps[stepIndex];
  if (!step) throw await onboardingError('not_found', 'errors.stepMissing');
  const kind = step.kind as StepKind;
  if (UPLOAD_KINDS.includes(kind) !== upload) throw await onboardingError('invalid_input', 'errors.otherAnswer');
  if (!row.nonceSealed || !row.nonceIssuedAt || now.getTime() - row.nonceIssuedAt.getTime() >= NONCE_TTL_MS)
    throw await fromFinqware(new FinqwareError('nonce_expired'));
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
    const expected = await checkExpected(row, stepIndex, now, false);
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
      throw await fromFinqware(error);
    }
    await saveAnswers(id, stepIndex, answers, result.stepId, now);
    await advance(row, result, deps);
  } finally {
    await release(id);
  }
}

/** One file of an upload step, cleaned, with the name the user chose (shown back to them, never sent). */
export interface UploadedFile {
  file: SanitisedFile;
  shownName: string;
}

/** An upload step's files: the front (or only) page, and the back where the document has one (DOCUMENT_PAGES). */
export interface UploadPages {
  front: UploadedFile;
  back?: UploadedFile;
}

/** What was kept of an earlier attempt at a step, e.g. the document type already sent to Finqware. */
async function savedAnswers(id: string, stepIndex: number): Promise<Record<string, string> | undefined> {
  const db = await getDb();
  const [step] = await db
    .select()
    .from(onboardingSteps)
    .where(and(eq(onboardingSteps.onboardingId, id), eq(onboardingSteps.stepIndex, stepIndex)));
  return step ? (JSON.parse(openAtRest(step.answersSealed, sealedAt.answers(id, stepIndex))) as Record<string, string>) : undefined;
}

const asUploadFile = (kind: UploadKind, page: DocumentPage, { file }: UploadedFile) => ({
  bytes: file.bytes,
  contentType: file.contentType,
  filename: providerFileName(kind, file.contentType, page),
});

/**
 * Sends an upload step: the step itself (once), then its files in one upload; no file is ever stored. Only
 * sanitised files go to Finqware, under names of ours; the user's own names are kept with the answers, to
 * show them.
 */
export async function submitUploadStep(
  userId: string,
  id: string,
  stepIndex: number,
  answers: Record<string, string>,
  pages: UploadPages,
  deps: OnboardingDeps = defaultDeps(),
): Promise<void> {
  const now = deps.now();
  let row = await claim(userId, id, now);
  try {
    const expected = await checkExpected(row, stepIndex, now, true);
    const kind = expected.kind as UploadKind;
    // Exactly the sides the document has: Finqware would refuse a missing or an extra one after the step is sent.
    if (uploadPages(kind, answers.documentType).includes('back') !== Boolean(pages.back)) throw await onboardingError('invalid_input', 'errors.wrongPages');
    let nonce = expected.nonce;
    let stepId = row.currentStepId;
    const sent = {
      ...answers,
      fileName: pages.front.shownName,
      fileSize: String(pages.front.file.bytes.byteLength),
      ...(pages.back ? { backFileName: pages.back.shownName, backFileSize: String(pages.back.file.bytes.byteLength) } : {}),
    };
    if (row.awaitingUpload && stepId) {
      // The step's data already reached Finqware, which now expects that document's sides: another
      // document type needs a new session.
      const before = await savedAnswers(id, stepIndex);
      if ((before?.documentType ?? undefined) !== (answers.documentType ?? undefined))
        throw await onboardingError('invalid_input', 'errors.documentTypeSent', { restart: true });
    } else {
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
        throw await fromFinqware(error);
      }
      if (submitted.status !== 'in_progress') throw await onboardingError('upstream', 'errors.endedBeforeFile');
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
      result = await deps.finqware.uploadToStep({
        stepId: stepId!,
        skillId: row.skillId,
        nonce,
        file: asUploadFile(kind, 'front', pages.front),
        ...(pages.back ? { back: asUploadFile(kind, 'back', pages.back) } : {}),
      });
    } catch (error) {
      throw await fromFinqware(error);
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
    if (!(UNFINISHED_STATUSES as readonly string[]).includes(row.status)) throw await onboardingError('completed', 'errors.nothingToAbandon');
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
    if (row.status !== 'in_progress' && row.status !== 'exchange_lost') throw await onboardingError('completed', 'errors.alreadyFinished');
    let started;
    try {
      started = await deps.finqware.startSession(userId, row.skillId);
    } catch (error) {
      throw await fromFinqware(error);
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
    logger().info({ event: 'onboarding.restarted', userId, onboardingId: id }, 'onboarding restarted');
  } finally {
    await release(id);
  }
}
