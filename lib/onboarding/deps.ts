import 'server-only';
import { finqwareClient, type FinqwareClient } from '@/lib/finqware/client';

/** What the onboarding service works with: Finqware's client and the clock (tests pass their own). */
export interface OnboardingDeps {
  finqware: FinqwareClient;
  now: () => Date;
}

export const defaultDeps = (): OnboardingDeps => ({ finqware: finqwareClient(), now: () => new Date() });
