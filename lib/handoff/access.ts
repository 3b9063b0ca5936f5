import 'server-only';
import { currentUser, handoffSession, type CurrentUser } from '@/lib/auth/dal';
import { getOnboarding, type OnboardingView } from '@/lib/onboarding/views';
import { handoffById } from './store';

// What a phone's hand-off session may open: its one onboarding step (the page /handoff and that step's
// upload), while the onboarding is at that step. Everything else sees no user (lib/auth/dal.ts).

export interface PhoneStep {
  user: CurrentUser;
  onboarding: OnboardingView;
  stepIndex: number;
}

async function sessionHandoff() {
  const phone = await handoffSession();
  if (!phone) return undefined;
  const handoff = await handoffById(phone.handoffId);
  // The row is the user's by construction; checked anyway, as every id is.
  if (!handoff || handoff.userId !== phone.user.id) return undefined;
  return { user: phone.user, handoff };
}

/** The phone's step, when this request comes with a hand-off session and the onboarding is still at that step. */
export async function phoneStep(): Promise<PhoneStep | undefined> {
  const phone = await sessionHandoff();
  if (!phone) return undefined;
  const onboarding = await getOnboarding(phone.user.id, phone.handoff.onboardingId);
  if (!onboarding || onboarding.status !== 'in_progress' || onboarding.current !== phone.handoff.stepIndex) return undefined;
  return { user: phone.user, onboarding, stepIndex: phone.handoff.stepIndex };
}

/**
 * Who may upload to this step: the signed-in user, or a phone whose hand-off is for exactly this
 * onboarding and step (the upload itself checks the step is still the current one).
 */
export async function uploaderFor(onboardingId: string, stepIndex: number): Promise<{ user: CurrentUser; phone: boolean } | undefined> {
  const user = await currentUser();
  if (user) return { user, phone: false };
  const phone = await sessionHandoff();
  if (!phone || phone.handoff.onboardingId !== onboardingId || phone.handoff.stepIndex !== stepIndex) return undefined;
  return { user: phone.user, phone: true };
}
