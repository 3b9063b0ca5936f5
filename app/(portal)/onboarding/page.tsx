import type { Metadata } from 'next';
import { getLocale } from 'next-intl/server';
import { getTranslations } from '@/lib/i18n/server';
import Link from 'next/link';
import { StartForm } from '@/components/onboarding/start-form';
import { Card } from '@/components/ui/card';
import { FormMessage } from '@/components/ui/form-message';
import { LocalTime } from '@/components/account/local-time';
import { requireUser } from '@/lib/auth/dal';
import { VerifyNotice } from '@/components/account/verify-notice';
import { resendVerificationAction } from '../verify-actions';
import { finqwareErrorMessage, isFinqwareError } from '@/lib/finqware/errors';
import type { Skill } from '@/lib/finqware/client';
import { listOnboardings, listSkills } from '@/lib/onboarding/service';
import { skillText } from '@/lib/onboarding/skill-text';
import { isStepKind, MAX_ONBOARDINGS_IN_PROGRESS, UNFINISHED_STATUSES } from '@/lib/onboarding/types';
import { shortReference } from '@/lib/short-reference';
import { abandonOnboardingAction, startOnboardingAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const [common, t] = await Promise.all([getTranslations('common'), getTranslations('onboarding')]);
  return { title: common('app.title', { page: t('metaTitle') }) };
}

// What "Abandon" did, from the action's redirect (a closed set of codes, never text from the URL).
const NOTICES = {
  abandoned: 'success',
  in_progress: 'error',
  completed: 'error',
  not_found: 'error',
} as const satisfies Record<string, 'error' | 'success'>;

const isNotice = (notice: string | undefined): notice is keyof typeof NOTICES => notice !== undefined && Object.hasOwn(NOTICES, notice);
const isUnfinished = (status: string) => (UNFINISHED_STATUSES as readonly string[]).includes(status);
const hidden = (chunks: React.ReactNode) => <span className="sr-only">{chunks}</span>;

export default async function OnboardingPage({ searchParams }: { searchParams: Promise<{ notice?: string }> }) {
  const user = await requireUser();
  const [{ notice }, t, steps, locale] = await Promise.all([searchParams, getTranslations('onboarding'), getTranslations('onboardingSteps'), getLocale()]);
  const mine = await listOnboardings(user.id);
  const unfinished = mine.filter((onboarding) => isUnfinished(onboarding.status)).length;
  let skills: Skill[] = [];
  let catalogError: string | undefined;
  try {
    skills = await listSkills();
  } catch (error) {
    if (!isFinqwareError(error)) throw error;
    catalogError = t('list.catalogFailed', { reason: finqwareErrorMessage(error.code, locale) });
  }
  const asks = (skill: Skill) =>
    skill.steps.map((step) => (step.kind !== 'unknown' && isStepKind(step.kind) ? steps(`labels.${step.kind}`) : step.name)).join(', ');

  return (
    <>
      <h1 className="text-2xl font-bold">{t('list.title')}</h1>
      <p className="text-slate-800">{t('list.intro')}</p>
      {user.emailVerified ? null : <VerifyNotice email={user.email} action={resendVerificationAction} />}
      {isNotice(notice) ? <FormMessage tone={NOTICES[notice]} message={t(`list.notices.${notice}`)} /> : null}
      {mine.length > 0 ? (
        <Card title={t('list.yours')}>
          {/* A list at every width: on a phone each onboarding stacks its name, state and buttons. */}
          <ul className="flex flex-col gap-3">
            {mine.map((onboarding) => (
              <li
                key={onboarding.id}
                className="flex flex-col gap-2 border-b border-slate-200 pb-3 sm:flex-row sm:flex-wrap sm:items-center sm:justify-between sm:pb-2"
              >
                <span className="flex flex-col gap-0.5 sm:block">
                  <span className="font-semibold">{onboarding.skillName}</span>
                  <span className="hidden sm:inline"> · </span>
                  <span>
                    {t(`list.status.${onboarding.status}`)}
                    {onboarding.status === 'in_progress' ? ` · ${t('list.progress', { current: onboarding.stepsDone + 1, total: onboarding.stepsTotal })}` : ''}
                    {onboarding.consentExpiresAt && !onboarding.revokedAt ? (
                      <>
                        {' · '}
                        {t.rich('list.consentUntil', {
                          date: () => <LocalTime date={onboarding.consentExpiresAt!} timeZone={user.timeZone} precision="day" />,
                        })}
                      </>
                    ) : null}
                  </span>
                  <span className="text-sm text-slate-700 sm:ml-2">{t('list.reference', { reference: shortReference(onboarding.id) })}</span>
                </span>
                <span className="flex items-center gap-4">
                  <Link href={`/onboarding/${onboarding.id}`} className="font-semibold text-blue-800 underline">
                    {t.rich(onboarding.status === 'in_progress' ? 'list.resume' : 'list.view', { name: onboarding.skillName, hidden })}
                  </Link>
                  {isUnfinished(onboarding.status) ? (
                    <form action={abandonOnboardingAction}>
                      <input type="hidden" name="onboardingId" value={onboarding.id} />
                      <button type="submit" className="text-sm font-semibold text-red-800 underline">
                        {t.rich('list.abandon', { name: onboarding.skillName, hidden })}
                      </button>
                    </form>
                  ) : null}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card title={t('list.products')}>
        {catalogError ? <FormMessage tone="error" message={catalogError} /> : null}
        {unfinished >= MAX_ONBOARDINGS_IN_PROGRESS ? (
          <p className="mb-4 text-sm text-slate-800">{t('list.limitReached', { count: unfinished, max: MAX_ONBOARDINGS_IN_PROGRESS })}</p>
        ) : null}
        <ul className="flex flex-col gap-4">
          {skills.map((skill) => {
            const text = skillText(t, skill);
            return (
              <li key={skill.id} className="flex flex-col gap-2 rounded-md border border-slate-300 p-4">
                <h3 className="text-base font-semibold">{text.name}</h3>
                <p className="text-sm text-slate-800">{text.description}</p>
                <p className="text-sm text-slate-800">{t('list.asks', { steps: asks(skill) })}</p>
                <StartForm skillId={skill.id} skillName={text.name} action={startOnboardingAction} />
              </li>
            );
          })}
        </ul>
      </Card>
    </>
  );
}
