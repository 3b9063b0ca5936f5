'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { requireUser } from '@/lib/auth/dal';
import { isOnboardingError } from '@/lib/onboarding/errors';
import { abandonOnboarding, startOnboarding } from '@/lib/onboarding/service';

export type StartState = undefined | { ok: false; message: string };

const startForm = z.object({ skillId: z.string().min(1).max(200) });

export async function startOnboardingAction(_prev: StartState, formData: FormData): Promise<StartState> {
  const user = await requireUser();
  const parsed = startForm.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, message: 'Choose a product to start.' };
  let id: string;
  try {
    id = await startOnboarding(user.id, parsed.data.skillId);
  } catch (error) {
    if (isOnboardingError(error)) return { ok: false, message: error.message };
    throw error;
  }
  redirect(`/onboarding/${id}`);
}

const abandonForm = z.object({ onboardingId: z.uuid() });

/** Abandons an unfinished onboarding (deleting its answers), then shows the list with what happened. */
export async function abandonOnboardingAction(formData: FormData): Promise<void> {
  const user = await requireUser();
  const parsed = abandonForm.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect('/onboarding');
  let notice = 'abandoned';
  try {
    await abandonOnboarding(user.id, parsed.data.onboardingId);
  } catch (error) {
    if (!isOnboardingError(error)) throw error;
    notice = error.code === 'in_progress' || error.code === 'completed' ? error.code : 'not_found';
  }
  revalidatePath('/');
  revalidatePath('/onboarding');
  redirect(`/onboarding?notice=${notice}`);
}
