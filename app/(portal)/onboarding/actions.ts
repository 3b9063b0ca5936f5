'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { formAction, stateAction } from '@/lib/actions/action';
import { done, refused } from '@/lib/actions/result';
import { unverifiedRefusal } from '@/lib/actions/verified';
import { translator } from '@/lib/i18n/server';
import { abandonOnboarding, startOnboarding } from '@/lib/onboarding/service';

export const startOnboardingAction = stateAction({
  name: 'onboarding.start',
  // A hidden field: anything unusable becomes '' and is refused below, in the user's language.
  input: z.object({ skillId: z.string().min(1).max(200).catch('') }),
  async run({ skillId }, { user }) {
    const unverified = unverifiedRefusal(user);
    if (unverified) return unverified;
    if (!skillId) return refused('invalid_input', (await translator('onboarding'))('errors.chooseProduct'));
    const id = await startOnboarding(user.id, skillId);
    redirect(`/onboarding/${id}`);
  },
});

// What "Abandon" did, shown by the list (a closed set of codes, never text in the URL).
const ABANDON_NOTICES = new Set(['in_progress', 'completed']);

/** Abandons an unfinished onboarding (deleting its answers), then shows the list with what happened. */
export const abandonOnboardingAction = formAction(
  {
    name: 'onboarding.abandon',
    input: z.object({ onboardingId: z.uuid() }),
    async run({ onboardingId }, { user }) {
      await abandonOnboarding(user.id, onboardingId);
      return done();
    },
  },
  (result, input) => {
    if (!input) return '/onboarding';
    revalidatePath('/');
    revalidatePath('/onboarding');
    if (result.ok) return '/onboarding?notice=abandoned';
    return `/onboarding?notice=${ABANDON_NOTICES.has(result.error) ? result.error : 'not_found'}`;
  },
);
