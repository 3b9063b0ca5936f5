'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { requireUser } from '@/lib/auth/dal';
import { stepUp } from '@/lib/auth/step-up';
import type { StepKind } from '@guidepost/provider-contracts/finqware';
import { isOnboardingError } from '@/lib/onboarding/errors';
import { finishOnboarding, getOnboarding, restartOnboarding, revokeOnboarding, submitFormStep } from '@/lib/onboarding/service';
import { stepSchemas } from '@/lib/onboarding/step-schemas';
import type { StepFormState } from '@/lib/onboarding/types';

const target = z.object({ onboardingId: z.uuid(), stepIndex: z.coerce.number().int().min(0).max(50) });
// Where to show the result: the onboarding itself, or the dashboard it was started from (a closed set, never a URL).
const onboardingForm = z.object({ onboardingId: z.uuid(), from: z.enum(['dashboard']).optional(), password: z.string().max(128).optional() });

function typedValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) if (typeof value === 'string' && !key.startsWith('$')) values[key] = value;
  return values;
}

export async function submitStepAction(_prev: StepFormState, formData: FormData): Promise<StepFormState> {
  const user = await requireUser();
  const values = typedValues(formData);
  const where = target.safeParse(values);
  if (!where.success) return { ok: false, error: 'not_found', message: 'This step was not found. Reload the page.', values };
  const { onboardingId, stepIndex } = where.data;
  const onboarding = await getOnboarding(user.id, onboardingId);
  const kind = onboarding?.steps[stepIndex]?.kind;
  if (!onboarding || !kind || kind === 'unknown' || kind === 'identity_document' || kind === 'selfie') {
    return { ok: false, error: 'not_found', message: 'This step was not found. Reload the page.', values };
  }
  const schema: z.ZodType<Record<string, unknown>> = stepSchemas[kind as Exclude<StepKind, 'identity_document' | 'selfie'>];
  const parsed = schema.safeParse(values);
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]>, values };
  try {
    await submitFormStep(user.id, onboardingId, stepIndex, stringify(parsed.data));
  } catch (error) {
    if (!isOnboardingError(error)) throw error;
    if (error.code === 'already_submitted' || error.code === 'completed') redirect(`/onboarding/${onboardingId}`);
    return { ok: false, error: error.code, message: error.message, values, restart: error.restart };
  }
  revalidatePath('/onboarding');
  redirect(`/onboarding/${onboardingId}`);
}

function stringify(answers: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(answers).map(([key, value]) => [key, String(value ?? '')]));
}

/**
 * Runs a button's work, then shows the onboarding again; a failure comes back as a closed notice code.
 * With `stepUp`, the work needs a recent login: otherwise the onboarding's page asks for the password
 * in place of the button (`?confirm=`), and the form posts it here with the same request.
 */
async function runAndShow(formData: FormData, work: (userId: string, id: string) => Promise<void>, failure: string, options: { stepUp?: 'revoke' } = {}): Promise<never> {
  const user = await requireUser();
  const parsed = onboardingForm.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect('/onboarding');
  const id = parsed.data.onboardingId;
  if (options.stepUp) {
    const password = formData.get('password');
    const fit = await stepUp(user, typeof password === 'string' ? password : undefined);
    if (!fit.ok) redirect(`/onboarding/${id}?confirm=${options.stepUp}${fit.message ? '&notice=wrong_password' : ''}`);
  }
  try {
    await work(user.id, id);
  } catch (error) {
    if (!isOnboardingError(error)) throw error;
    // Finqware's error id is an identifier for support, not a secret: it may travel in the URL.
    const ref = error.reference ? `&ref=${encodeURIComponent(error.reference)}` : '';
    redirect(`/onboarding/${id}?notice=${error.code === 'upstream' ? failure : error.code}${ref}`);
  }
  revalidatePath('/');
  revalidatePath('/onboarding');
  redirect(parsed.data.from === 'dashboard' ? '/' : `/onboarding/${id}`);
}

export async function restartOnboardingAction(formData: FormData): Promise<void> {
  await runAndShow(formData, restartOnboarding, 'restart_failed');
}

export async function finishOnboardingAction(formData: FormData): Promise<void> {
  await runAndShow(formData, finishOnboarding, 'finish_failed');
}

export async function revokeOnboardingAction(formData: FormData): Promise<void> {
  // A consent is what lets Guidepost read the company's accounts: revoking it needs a recent login.
  await runAndShow(formData, revokeOnboarding, 'revoke_failed', { stepUp: 'revoke' });
}
