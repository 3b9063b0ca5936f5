import type { Metadata } from 'next';
import { getTranslations } from '@/lib/i18n/server';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { HandoffRefused } from '@/components/handoff/handoff-refused';
import { PublicShell } from '@/components/layout/public-shell';
import { UploadStepForm } from '@/components/onboarding/upload-step-form';
import { currentUser } from '@/lib/auth/dal';
import { phoneStep } from '@/lib/handoff/access';
import { isUploadKind } from '@/lib/onboarding/step-schemas';

// One lookup for the title and the page of a request.
const stepOfThisPhone = cache(phoneStep);

export async function generateMetadata(): Promise<Metadata> {
  const [t, phone] = await Promise.all([getTranslations('common'), stepOfThisPhone()]);
  const step = phone?.onboarding.steps[phone.stepIndex];
  return { title: t('app.title', { page: step ? `${step.label} · ${phone.onboarding.skillName}` : (await getTranslations('handoff.refused'))('metaTitle') }) };
}

// The phone's page after a hand-off link (/h/<token>): the one step the link was for, outside the portal,
// whose pages this session cannot open. The address carries nothing: the session knows its step.
export default async function PhoneStepPage() {
  // A full session (this browser was logged in already, or the user came back here): the portal shows the step.
  if (await currentUser()) redirect('/onboarding');
  const [phone, t] = await Promise.all([stepOfThisPhone(), getTranslations('handoff.phone')]);
  const step = phone?.onboarding.steps[phone.stepIndex];
  if (!phone || !step || !isUploadKind(step.kind))
    return (
      <PublicShell width="max-w-xl">
        <HandoffRefused />
      </PublicShell>
    );
  return (
    <PublicShell width="max-w-xl">
      <h1 className="text-2xl font-bold">{step.label}</h1>
      <p>{t('intro', { product: phone.onboarding.skillName, email: phone.user.email })}</p>
      {phone.onboarding.nonceExpired ? (
        <p role="alert">{t('nonceExpired')}</p>
      ) : (
        <UploadStepForm
          kind={step.kind}
          onboardingId={phone.onboarding.id}
          stepIndex={phone.stepIndex}
          uploadUrl={`/api/onboarding/${phone.onboarding.id}/steps/${phone.stepIndex}`}
          defaults={phone.onboarding.answers[phone.stepIndex]}
        />
      )}
    </PublicShell>
  );
}
