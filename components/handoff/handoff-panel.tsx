import { createHandoffAction } from '@/app/handoff/actions';
import { requireUser } from '@/lib/auth/dal';
import { handoffStatus } from '@/lib/handoff/service';
import { DEFAULT_TIME_ZONE } from '@/lib/i18n/format';
import { isUploadKind } from '@/lib/onboarding/step-schemas';
import type { OnboardingView } from '@/lib/onboarding/views';
import { PhoneHandoff } from './phone-handoff';

/**
 * "Continue on my phone" for the onboarding's current step, when it is a photo step (identity document,
 * selfie) that can be sent now; nothing otherwise. Desktop-sized screens only (PhoneHandoff hides itself).
 */
export async function HandoffPanel({ onboarding }: { onboarding: OnboardingView }) {
  const step = onboarding.steps[onboarding.current];
  if (onboarding.status !== 'in_progress' || onboarding.nonceExpired || !step || !isUploadKind(step.kind)) return null;
  const user = await requireUser();
  const status = await handoffStatus({ userId: user.id, onboardingId: onboarding.id, stepIndex: step.index });
  return (
    <PhoneHandoff
      // A new step starts with no link.
      key={`${onboarding.id}-${step.index}`}
      onboardingId={onboarding.id}
      stepIndex={step.index}
      timeZone={user.timeZone ?? DEFAULT_TIME_ZONE}
      initialPhone={status?.phone ?? 'none'}
      action={createHandoffAction}
    />
  );
}
