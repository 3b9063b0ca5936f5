import 'server-only';
import { desc, eq, sql } from 'drizzle-orm';
import { NONCE_TTL_MS, type StepKind } from '@guidepost/provider-contracts/finqware';
import { getDb } from '@/lib/db/client';
import { prepared } from '@/lib/db/prepared';
import { finqwareCredentials, onboardings, onboardingSteps, type OnboardingRow } from '@/lib/db/schema';
import { translator } from '@/lib/i18n/server';
import { ownedRow } from './claims';
import { openAtRest, sealedAt } from './sealing';
import { skillText } from './skill-text';
import { isStepKind, type StepView } from './types';

// What the onboarding pages show: one onboarding with its steps and answers, or the user's list, with the
// product's and the steps' names in the request's language.

export interface OnboardingView {
  id: string;
  skillId: string;
  /** In the request's language where Guidepost knows the product (lib/onboarding/skill-text.ts). */
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

type StepsTranslator = Awaited<ReturnType<typeof translator<'onboardingSteps'>>>;

function stepViews(row: OnboardingRow, t: StepsTranslator): StepView[] {
  return row.steps.map((step, index) => {
    const kind: StepKind | 'unknown' = isStepKind(step.kind) ? step.kind : 'unknown';
    const done = row.status !== 'in_progress' || index < row.currentStep;
    return {
      index,
      name: step.name,
      kind,
      label: kind === 'unknown' ? step.name : t(`labels.${kind}`),
      state: done ? 'done' : index === row.currentStep ? 'current' : 'todo',
    };
  });
}

export async function getOnboarding(userId: string, id: string, now = new Date()): Promise<OnboardingView | undefined> {
  const row = await ownedRow(userId, id);
  if (!row) return undefined;
  const db = await getDb();
  const stepRows = await db.select().from(onboardingSteps).where(eq(onboardingSteps.onboardingId, id));
  const answers: Record<number, Record<string, string>> = {};
  for (const step of stepRows)
    answers[step.stepIndex] = JSON.parse(openAtRest(step.answersSealed, sealedAt.answers(id, step.stepIndex))) as Record<string, string>;
  const [credentials] = await db.select().from(finqwareCredentials).where(eq(finqwareCredentials.onboardingId, id));
  const t = await translator('onboarding');
  return {
    id: row.id,
    skillId: row.skillId,
    skillName: skillText(t, { id: row.skillId, name: row.skillName }).name,
    status: row.status as OnboardingView['status'],
    steps: stepViews(row, await translator('onboardingSteps')),
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
  skillId: string;
  /** In the request's language where Guidepost knows the product (lib/onboarding/skill-text.ts). */
  skillName: string;
  status: OnboardingView['status'];
  stepsDone: number;
  stepsTotal: number;
  createdAt: Date;
  consentExpiresAt: Date | null;
  revokedAt: Date | null;
}

// Read by the dashboard and /onboarding.
const onboardingsOf = prepared((db) =>
  db
    .select()
    .from(onboardings)
    .leftJoin(finqwareCredentials, eq(finqwareCredentials.onboardingId, onboardings.id))
    .where(eq(onboardings.userId, sql.placeholder('userId')))
    .orderBy(desc(onboardings.createdAt))
    .prepare('onboardings_of'),
);

export async function listOnboardings(userId: string): Promise<OnboardingSummary[]> {
  const rows = await (await onboardingsOf()).execute({ userId });
  const t = await translator('onboarding');
  return rows.map(({ onboardings: row, finqware_credentials: credentials }) => ({
    id: row.id,
    skillId: row.skillId,
    skillName: skillText(t, { id: row.skillId, name: row.skillName }).name,
    status: row.status as OnboardingView['status'],
    stepsDone: row.status === 'in_progress' ? row.currentStep : row.steps.length,
    stepsTotal: row.steps.length,
    createdAt: row.createdAt,
    consentExpiresAt: credentials?.consentExpiresAt ?? null,
    revokedAt: credentials?.revokedAt ?? null,
  }));
}
