import type { Metadata } from 'next';
import Link from 'next/link';
import { StartForm } from '@/components/onboarding/start-form';
import { Card } from '@/components/ui/card';
import { FormMessage } from '@/components/ui/form-message';
import { LocalTime } from '@/components/account/local-time';
import { requireUser } from '@/lib/auth/dal';
import { finqwareErrorMessage, isFinqwareError } from '@/lib/finqware/errors';
import type { Skill } from '@/lib/finqware/client';
import { listOnboardings, listSkills } from '@/lib/onboarding/service';
import { MAX_ONBOARDINGS_IN_PROGRESS, STEP_LABELS, UNFINISHED_STATUSES } from '@/lib/onboarding/types';
import { abandonOnboardingAction, startOnboardingAction } from './actions';

export const metadata: Metadata = { title: 'Onboarding · Guidepost' };

const STATUS_TEXT = {
  in_progress: 'In progress',
  exchange_pending: 'Finishing',
  exchange_lost: 'Needs a restart',
  completed: 'Completed',
  revoked: 'Consent revoked',
} as const;

// What "Abandon" did, from the action's redirect (a closed set of codes, never text from the URL).
const NOTICES: Record<string, { tone: 'error' | 'success'; text: string }> = {
  abandoned: { tone: 'success', text: 'The onboarding was abandoned and its answers deleted.' },
  in_progress: { tone: 'error', text: 'That onboarding is being sent to Finqware right now, so it was not abandoned. Try again in a moment.' },
  completed: { tone: 'error', text: 'That onboarding is already finished, so there was nothing to abandon.' },
  not_found: { tone: 'error', text: 'That onboarding was not found: it may already have been abandoned.' },
};

const isUnfinished = (status: string) => (UNFINISHED_STATUSES as readonly string[]).includes(status);

function asks(skill: Skill): string {
  return skill.steps.map((step) => (step.kind === 'unknown' ? step.name : STEP_LABELS[step.kind])).join(', ');
}

export default async function OnboardingPage({ searchParams }: { searchParams: Promise<{ notice?: string }> }) {
  const user = await requireUser();
  const { notice } = await searchParams;
  const shown = notice ? NOTICES[notice] : undefined;
  const mine = await listOnboardings(user.id);
  const unfinished = mine.filter((onboarding) => isUnfinished(onboarding.status)).length;
  let skills: Skill[] = [];
  let catalogError: string | undefined;
  try {
    skills = await listSkills();
  } catch (error) {
    if (!isFinqwareError(error)) throw error;
    catalogError = `${finqwareErrorMessage(error.code)} The list of products could not be loaded.`;
  }
  return (
    <>
      <h1 className="text-2xl font-bold">Onboarding</h1>
      <p className="text-slate-800">Apply for financial products through Finqware, step by step. You can leave at any time and resume later, on any device.</p>
      {shown ? <FormMessage tone={shown.tone} message={shown.text} /> : null}
      {mine.length > 0 ? (
        <Card title="Your onboardings">
          <ul className="flex flex-col gap-3">
            {mine.map((onboarding) => (
              <li key={onboarding.id} className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 pb-2">
                <span>
                  <span className="font-semibold">{onboarding.skillName}</span> · {STATUS_TEXT[onboarding.status]}
                  {onboarding.status === 'in_progress' ? ` · step ${onboarding.stepsDone + 1} of ${onboarding.stepsTotal}` : ''}
                  {onboarding.consentExpiresAt && !onboarding.revokedAt ? (
                    <>
                      {' · consent until '}
                      <LocalTime date={onboarding.consentExpiresAt} timeZone={user.timeZone} precision="day" />
                    </>
                  ) : null}
                </span>
                <span className="flex items-center gap-4">
                  <Link href={`/onboarding/${onboarding.id}`} className="font-semibold text-blue-800 underline">
                    {onboarding.status === 'in_progress' ? 'Resume' : 'View'}
                    <span className="sr-only"> {onboarding.skillName}</span>
                  </Link>
                  {isUnfinished(onboarding.status) ? (
                    <form action={abandonOnboardingAction}>
                      <input type="hidden" name="onboardingId" value={onboarding.id} />
                      <button type="submit" className="text-sm font-semibold text-red-800 underline">
                        Abandon<span className="sr-only"> {onboarding.skillName}</span>
                      </button>
                    </form>
                  ) : null}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card title="Products">
        {catalogError ? <FormMessage tone="error" message={catalogError} /> : null}
        {unfinished >= MAX_ONBOARDINGS_IN_PROGRESS ? (
          <p className="mb-4 text-sm text-slate-800">
            You have {unfinished} onboardings in progress, the most at once ({MAX_ONBOARDINGS_IN_PROGRESS}). Finish one, or abandon one you no longer need, to
            start another.
          </p>
        ) : null}
        <ul className="flex flex-col gap-4">
          {skills.map((skill) => (
            <li key={skill.id} className="flex flex-col gap-2 rounded-md border border-slate-300 p-4">
              <h3 className="text-base font-semibold">{skill.name}</h3>
              <p className="text-sm text-slate-800">{skill.description}</p>
              <p className="text-sm text-slate-800">It will ask for: {asks(skill)}.</p>
              <StartForm skillId={skill.id} skillName={skill.name} action={startOnboardingAction} />
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
