'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { formAction, stateAction } from '@/lib/actions/action';
import { done, refused, type ActionResult } from '@/lib/actions/result';
import { translator } from '@/lib/i18n/server';
import { isOnboardingError } from '@/lib/onboarding/errors';
import { finishOnboarding, getOnboarding, restartOnboarding, revokeOnboarding, submitFormStep } from '@/lib/onboarding/service';
import { isFormStepKind, stepSchemasFor } from '@/lib/onboarding/step-schemas';

// Hidden fields: anything unusable becomes a value no step has, refused below in the user's language.
const target = z.object({ onboardingId: z.uuid().catch(''), stepIndex: z.coerce.number().int().min(0).max(50).catch(-1) });

export const submitStepAction = stateAction({
  name: 'onboarding.submit_step',
  input: target,
  // What the user typed comes back with any failure, so the form shows it again.
  keep: 'all',
  async run({ onboardingId, stepIndex }, { user, fields }): Promise<ActionResult> {
    const onboarding = onboardingId ? await getOnboarding(user.id, onboardingId) : undefined;
    const kind = onboarding?.steps[stepIndex]?.kind;
    if (!onboarding || !kind || !isFormStepKind(kind)) return refused('not_found', (await translator('onboarding'))('errors.stepNotFound'));
    // The step's own schema, in the user's language, known once the onboarding says which step this is:
    // a ZodError here goes back as field errors, like the wrapper's own parse.
    const schema: z.ZodType<Record<string, unknown>> = stepSchemasFor(await translator('onboardingSteps'))[kind];
    const answers = schema.parse(fields);
    try {
      await submitFormStep(user.id, onboardingId, stepIndex, stringify(answers));
    } catch (error) {
      // Sent already (another tab, a double click): the onboarding's page shows where it is now.
      if (isOnboardingError(error) && (error.code === 'already_submitted' || error.code === 'completed')) redirect(`/onboarding/${onboardingId}`);
      throw error;
    }
    revalidatePath('/onboarding');
    redirect(`/onboarding/${onboardingId}`);
  },
});

function stringify(answers: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(answers).map(([key, value]) => [key, String(value ?? '')]));
}

// Where to show the result: the onboarding itself, or the dashboard it was started from (a closed set, never a URL).
const onboardingForm = z.object({ onboardingId: z.uuid(), from: z.enum(['dashboard']).optional() });

/**
 * A button's work, then the onboarding shown again; a failure comes back as a closed notice code.
 * With `confirm`, the work needs a recent login: otherwise the onboarding's page asks for the password
 * in place of the button (`?confirm=`), and the form posts it here with the same request.
 */
function onboardingButton(
  name: string,
  work: (userId: string, id: string) => Promise<void>,
  failure: string,
  options: { confirm?: 'revoke'; success?: 'revoked' } = {},
) {
  const { confirm, success } = options;
  return formAction(
    {
      name,
      input: onboardingForm,
      recentLogin: confirm !== undefined,
      async run({ onboardingId }, { user }) {
        await work(user.id, onboardingId);
        return done();
      },
    },
    (result, input) => {
      if (!input) return '/onboarding';
      const id = input.onboardingId;
      if (!result.ok && result.error === 'reauth_required')
        return `/onboarding/${id}?confirm=${confirm}${result.fieldErrors?.password ? '&notice=wrong_password' : result.fieldErrors?.code ? '&notice=wrong_code' : ''}`;
      if (!result.ok) {
        // Finqware's error id is an identifier for support, not a secret: it may travel in the URL.
        const ref = result.reference ? `&ref=${encodeURIComponent(result.reference)}` : '';
        return `/onboarding/${id}?notice=${result.error === 'upstream' ? failure : result.error}${ref}`;
      }
      revalidatePath('/');
      revalidatePath('/onboarding');
      if (input.from === 'dashboard') return '/';
      // The page then confirms what happened (a closed notice code, never text in the URL).
      return success ? `/onboarding/${id}?notice=${success}` : `/onboarding/${id}`;
    },
  );
}

export const restartOnboardingAction = onboardingButton('onboarding.restart', restartOnboarding, 'restart_failed');

export const finishOnboardingAction = onboardingButton('onboarding.finish', finishOnboarding, 'finish_failed');

// A consent is what lets Guidepost read the company's accounts: revoking it needs a recent login.
export const revokeOnboardingAction = onboardingButton('onboarding.revoke', revokeOnboarding, 'revoke_failed', { confirm: 'revoke', success: 'revoked' });
