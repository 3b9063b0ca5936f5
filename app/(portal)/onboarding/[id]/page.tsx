import type { Metadata } from 'next';
import Link from 'next/link';
import { cache } from 'react';
import { notFound } from 'next/navigation';
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
import { getOnboarding } from '@/lib/onboarding/service';
import { finishOnboardingAction, restartOnboardingAction, revokeOnboardingAction, submitStepAction } from './actions';

// One lookup for the title and the page of a request.
const onboardingFor = cache(async (id: string) => getOnboarding((await requireUser()).id, id));

/** Each step has its own title, so a tab, the history and a screen reader say where the user is. */
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const onboarding = await onboardingFor((await params).id);
  if (!onboarding) return { title: 'Onboarding · Guidepost' };
  const total = onboarding.steps.length;
  const current = onboarding.steps[onboarding.current];
  const where = current ? `${current.label} (${onboarding.current + 1}/${total})` : 'All steps done';
  return { title: `${where} · ${onboarding.skillName} · Guidepost` };
}

const NOTICES: Record<string, string> = {
  restart_failed: 'Finqware did not answer, so the onboarding could not restart. Try again in a moment.',
  finish_failed: 'Finishing the onboarding failed again. Try again in a moment; your answers are safe with Finqware.',
  // The card below says what happened and offers the restart.
  exchange_lost: 'Finishing the onboarding is no longer possible.',
  revoke_failed: 'Finqware did not answer, so the consent is not revoked yet. Try again in a moment.',
  in_progress: 'Another request for this onboarding is running. Try again in a moment.',
  completed: 'This onboarding is already finished.',
  not_found: 'This onboarding has no consent to revoke.',
  wrong_password: 'This is not your Guidepost password.',
};

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
  const [user, { id }, { step, notice, ref, confirm }] = await Promise.all([requireUser(), params, searchParams]);
  const onboarding = await onboardingFor(id);
  if (!onboarding) notFound();
  const viewing = step !== undefined && /^\d+$/.test(step) ? Number(step) : undefined;
  const viewed = viewing !== undefined && onboarding.steps[viewing]?.state === 'done' ? onboarding.steps[viewing] : undefined;
  const current = onboarding.steps[onboarding.current];
  const noticeBase = notice && notice !== 'wrong_password' ? NOTICES[notice] : undefined;
  // Only an identifier is echoed: anything else in the URL is ignored.
  const noticeRef = ref && /^[A-Za-z0-9_.:-]{1,128}$/.test(ref) ? ` (Reference: ${ref})` : '';
  const noticeText = noticeBase ? `${noticeBase}${noticeRef}` : undefined;

  return (
    <>
      <h1 className="text-2xl font-bold">{onboarding.skillName}</h1>
      {noticeText ? <FormMessage tone="error" message={noticeText} /> : null}
      <Stepper steps={onboarding.steps} current={onboarding.current} onboardingId={onboarding.id} viewing={viewed?.index} />

      {viewed ? (
        <Card title={`What you sent: ${viewed.label}`}>
          <StepSummary kind={viewed.kind} answers={onboarding.answers[viewed.index] ?? {}} />
          <p className="mt-4">
            <Link href={`/onboarding/${onboarding.id}`} className="font-semibold text-blue-800 underline">
              {onboarding.status === 'in_progress' ? 'Back to the current step' : 'Back to the summary'}
            </Link>
          </p>
        </Card>
      ) : onboarding.status === 'in_progress' && current ? (
        <Card title={current.label}>
          {onboarding.nonceExpired ? (
            <form action={restartOnboardingAction} className="flex flex-col gap-3">
              <HiddenId id={onboarding.id} />
              <p>
                Your onboarding session with Finqware expired: it lasts 30 minutes between steps. Restart it to go on; your answers are kept, files must be
                chosen again.
              </p>
              <div>
                <Button type="submit">Restart this onboarding</Button>
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
              onRestart={restartOnboardingAction}
            />
          ) : current.kind === 'unknown' ? (
            <p>Guidepost cannot run this step yet.</p>
          ) : (
            <StepForm
              key={`${onboarding.id}-${current.index}`}
              kind={current.kind}
              onboardingId={onboarding.id}
              stepIndex={current.index}
              action={submitStepAction}
              defaults={onboarding.answers[current.index]}
              onRestart={restartOnboardingAction}
            />
          )}
        </Card>
      ) : onboarding.status === 'exchange_pending' ? (
        <Card title="Almost done">
          <form action={finishOnboardingAction} className="flex flex-col gap-3">
            <HiddenId id={onboarding.id} />
            <p>Every step reached Finqware. One last exchange with Finqware is needed to finish.</p>
            {onboarding.errorReference ? <p className="text-sm">Last attempt failed. Reference for support: {onboarding.errorReference}</p> : null}
            <div>
              <Button type="submit">Finish onboarding</Button>
            </div>
          </form>
        </Card>
      ) : onboarding.status === 'exchange_lost' ? (
        <Card title="Restart needed">
          <form action={restartOnboardingAction} className="flex flex-col gap-3">
            <HiddenId id={onboarding.id} />
            <p>
              Finqware finished your onboarding, but its answer never reached Guidepost, so the consent could not be saved. Restart the onboarding to give it
              again: your answers are kept, files must be chosen again.
            </p>
            {onboarding.errorReference ? <p className="text-sm">Reference for support: {onboarding.errorReference}</p> : null}
            <div>
              <Button type="submit">Restart this onboarding</Button>
            </div>
          </form>
        </Card>
      ) : (
        <Card title={onboarding.status === 'completed' ? 'Onboarding complete' : 'Consent revoked'}>
          {onboarding.consent ? (
            <div className="flex flex-col gap-3">
              <p>
                {onboarding.consent.revokedAt ? (
                  <>
                    You revoked this consent on <LocalTime date={onboarding.consent.revokedAt} timeZone={user.timeZone} precision="day" />.
                  </>
                ) : (
                  <>
                    Completed. The consent is valid until <LocalTime date={onboarding.consent.expiresAt} timeZone={user.timeZone} precision="day" />.
                  </>
                )}
              </p>
              {!onboarding.consent.revokedAt && confirm === 'revoke' ? (
                // Step-up in place: revoking needs the password typed again after a while.
                <form action={revokeOnboardingAction} className="flex flex-col gap-3 rounded-lg border border-slate-300 p-4">
                  <HiddenId id={onboarding.id} />
                  <p className="text-sm">For your safety, confirm it is you: you last typed your password a while ago.</p>
                  <ConfirmPasswordField errors={notice === 'wrong_password' ? [NOTICES.wrong_password!] : undefined} />
                  <div>
                    <Button type="submit" variant="danger">
                      Confirm and revoke consent
                    </Button>
                  </div>
                </form>
              ) : !onboarding.consent.revokedAt ? (
                <form action={revokeOnboardingAction}>
                  <HiddenId id={onboarding.id} />
                  <Button type="submit" variant="danger">
                    Revoke consent
                  </Button>
                </form>
              ) : null}
            </div>
          ) : null}
        </Card>
      )}
      {viewed ? null : <HandoffPanel onboarding={onboarding} />}
    </>
  );
}
