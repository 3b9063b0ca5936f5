import type { Metadata } from 'next';
import { getLocale } from 'next-intl/server';
import { getTranslations } from '@/lib/i18n/server';
import Link from 'next/link';
import { cache } from 'react';
import { notFound } from 'next/navigation';
import { RevokeConsentForm } from '@/components/onboarding/revoke-consent';
import { HandoffPanel } from '@/components/handoff/handoff-panel';
import { StepForm } from '@/components/onboarding/step-form';
import { StepSummary } from '@/components/onboarding/step-summary';
import { Stepper } from '@/components/onboarding/stepper';
import { UploadStepForm } from '@/components/onboarding/upload-step-form';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmPasswordField } from '@/components/account/confirm-password-field';
import { LocalTime } from '@/components/account/local-time';
import { FormMessage } from '@/components/ui/form-message';
import { requireUser } from '@/lib/auth/dal';
import { countryOptions } from '@/lib/onboarding/country-options';
import { getOnboarding } from '@/lib/onboarding/service';
import { supportReference } from '@/lib/onboarding/support-reference';
import { shortReference } from '@/lib/short-reference';
import { finishOnboardingAction, restartOnboardingAction, revokeOnboardingAction, submitStepAction } from './actions';

// One lookup for the title and the page of a request.
const onboardingFor = cache(async (id: string) => getOnboarding((await requireUser()).id, id));

/** Each step has its own title, in the user's language, so a tab, the history and a screen reader say where the user is. */
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const [onboarding, common, t] = await Promise.all([onboardingFor((await params).id), getTranslations('common'), getTranslations('onboarding')]);
  if (!onboarding) return { title: common('app.title', { page: t('metaTitle') }) };
  const total = onboarding.steps.length;
  const current = onboarding.steps[onboarding.current];
  const where = current ? t('page.metaStep', { label: current.label, current: onboarding.current + 1, total }) : t('page.metaDone');
  return { title: common('app.title', { page: `${where} · ${onboarding.skillName}` }) };
}

// What the page says after a button's work (a closed set of codes from the actions' redirects, never text from the URL).
const NOTICES = {
  restart_failed: 'error',
  finish_failed: 'error',
  // The card below says what happened and offers the restart.
  exchange_lost: 'error',
  revoke_failed: 'error',
  in_progress: 'error',
  completed: 'error',
  not_found: 'error',
  revoked: 'success',
} as const satisfies Record<string, 'error' | 'success'>;

const isNotice = (notice: string | undefined): notice is keyof typeof NOTICES => notice !== undefined && Object.hasOwn(NOTICES, notice);

function HiddenId({ id }: { id: string }) {
  return <input type="hidden" name="onboardingId" value={id} />;
}

export default async function OnboardingStepPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ step?: string; notice?: string; ref?: string; confirm?: string }>;
}) {
  const [user, { id }, { step, notice, ref, confirm }, t, locale] = await Promise.all([
    requireUser(),
    params,
    searchParams,
    getTranslations('onboarding.page'),
    getLocale(),
  ]);
  const onboarding = await onboardingFor(id);
  if (!onboarding) notFound();
  const viewing = step !== undefined && /^\d+$/.test(step) ? Number(step) : undefined;
  const viewed = viewing !== undefined && onboarding.steps[viewing]?.state === 'done' ? onboarding.steps[viewing] : undefined;
  const current = onboarding.steps[onboarding.current];
  const shown = isNotice(notice) ? { tone: NOTICES[notice], text: t(`notices.${notice}`) } : undefined;
  // Only an identifier is echoed (as users see ids): anything else in the URL is ignored.
  const reference = ref && /^[A-Za-z0-9_.:-]{1,128}$/.test(ref) ? supportReference(ref) : undefined;
  const noticeText = shown && reference && shown.tone === 'error' ? t('referenceSuffix', { message: shown.text, reference }) : shown?.text;
  const dayOf = (date: Date) => <LocalTime date={date} timeZone={user.timeZone} precision="day" />;

  return (
    <>
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-bold">{onboarding.skillName}</h1>
        <p className="text-sm text-slate-700">{t('reference', { reference: shortReference(onboarding.id) })}</p>
      </div>
      {shown && notice !== 'wrong_password' && notice !== 'wrong_code' ? <FormMessage tone={shown.tone} message={noticeText} /> : null}
      <Stepper steps={onboarding.steps} current={onboarding.current} onboardingId={onboarding.id} viewing={viewed?.index} />

      {viewed ? (
        <Card title={t('whatYouSent', { label: viewed.label })}>
          <StepSummary kind={viewed.kind} answers={onboarding.answers[viewed.index] ?? {}} />
          <p className="mt-4">
            <Link href={`/onboarding/${onboarding.id}`} className="font-semibold text-blue-800 underline">
              {onboarding.status === 'in_progress' ? t('backToCurrent') : t('backToSummary')}
            </Link>
          </p>
        </Card>
      ) : onboarding.status === 'in_progress' && current ? (
        <Card title={current.label}>
          {onboarding.nonceExpired ? (
            <form action={restartOnboardingAction} className="flex flex-col gap-3">
              <HiddenId id={onboarding.id} />
              <p>{t('nonceExpired')}</p>
              <div>
                <Button type="submit">{t('restart')}</Button>
              </div>
            </form>
          ) : current.kind === 'identity_document' || current.kind === 'selfie' ? (
            <UploadStepForm
              key={`${onboarding.id}-${current.index}`}
              kind={current.kind}
              onboardingId={onboarding.id}
              stepIndex={current.index}
              uploadUrl={`/api/onboarding/${onboarding.id}/steps/${current.index}`}
              defaults={onboarding.answers[current.index]}
              // Finqware was told the document type already: its sides are what the upload must carry.
              documentTypeSent={onboarding.awaitingUpload ? onboarding.answers[current.index]?.documentType : undefined}
              onRestart={restartOnboardingAction}
            />
          ) : current.kind === 'unknown' ? (
            <p>{t('unknownStep')}</p>
          ) : (
            <StepForm
              key={`${onboarding.id}-${current.index}`}
              kind={current.kind}
              onboardingId={onboarding.id}
              stepIndex={current.index}
              action={submitStepAction}
              defaults={onboarding.answers[current.index]}
              onRestart={restartOnboardingAction}
              countries={current.kind === 'personal_data' ? countryOptions(locale) : []}
            />
          )}
        </Card>
      ) : onboarding.status === 'exchange_pending' ? (
        <Card title={t('almostDone.title')}>
          <form action={finishOnboardingAction} className="flex flex-col gap-3">
            <HiddenId id={onboarding.id} />
            <p>{t('almostDone.body')}</p>
            {onboarding.errorReference ? (
              <p className="text-sm">{t('almostDone.lastFailed', { reference: supportReference(onboarding.errorReference) })}</p>
            ) : null}
            <div>
              <Button type="submit">{t('almostDone.finish')}</Button>
            </div>
          </form>
        </Card>
      ) : onboarding.status === 'exchange_lost' ? (
        <Card title={t('restartNeeded.title')}>
          <form action={restartOnboardingAction} className="flex flex-col gap-3">
            <HiddenId id={onboarding.id} />
            <p>{t('restartNeeded.body')}</p>
            {onboarding.errorReference ? (
              <p className="text-sm">{t('restartNeeded.reference', { reference: supportReference(onboarding.errorReference) })}</p>
            ) : null}
            <div>
              <Button type="submit">{t('restart')}</Button>
            </div>
          </form>
        </Card>
      ) : (
        <Card title={onboarding.status === 'completed' ? t('complete.title') : t('revoked.title')}>
          {onboarding.consent ? (
            <div className="flex flex-col gap-3">
              {onboarding.consent.revokedAt ? (
                <>
                  <p>{t.rich('revoked.on', { date: () => dayOf(onboarding.consent!.revokedAt!) })}</p>
                  <p>{t('revoked.again')}</p>
                </>
              ) : (
                <>
                  <p>{t.rich('complete.validUntil', { date: () => dayOf(onboarding.consent!.expiresAt) })}</p>
                  {/* What the consent allows, until when, and how to take it back. */}
                  <section aria-labelledby="what-next" className="flex flex-col gap-2">
                    <h3 id="what-next" className="text-base font-semibold">
                      {t('complete.nextTitle')}
                    </h3>
                    <ul className="flex list-disc flex-col gap-1 pl-5">
                      <li>{t('complete.allows')}</li>
                      <li>{t.rich('complete.until', { date: () => dayOf(onboarding.consent!.expiresAt) })}</li>
                      <li>{t('complete.howToRevoke')}</li>
                    </ul>
                  </section>
                </>
              )}
              {!onboarding.consent.revokedAt && confirm === 'revoke' ? (
                // Step-up in place: revoking needs the password typed again after a while.
                <form action={revokeOnboardingAction} className="flex flex-col gap-3 rounded-lg border border-slate-300 p-4">
                  <HiddenId id={onboarding.id} />
                  <p className="text-sm">{t('revoke.stepUp')}</p>
                  <ConfirmPasswordField
                    errors={notice === 'wrong_password' ? [t('notices.wrong_password')] : undefined}
                    codeErrors={notice === 'wrong_code' ? [t('notices.wrong_code')] : undefined}
                  />
                  <div>
                    <Button type="submit" variant="danger">
                      {t('revoke.stepUpButton')}
                    </Button>
                  </div>
                </form>
              ) : !onboarding.consent.revokedAt ? (
                <RevokeConsentForm onboardingId={onboarding.id} skillName={onboarding.skillName} />
              ) : null}
            </div>
          ) : null}
        </Card>
      )}
      {viewed ? null : <HandoffPanel onboarding={onboarding} />}
    </>
  );
}
