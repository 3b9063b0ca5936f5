'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { keepValues, type ActionResult } from '@/lib/action-result';
import { signupSchema } from '@/lib/account/schemas';
import { signUp } from '@/lib/account/service';
import { signIn } from '@/lib/auth/config';
import { rememberThisDevice } from '@/lib/auth/known-device';
import { clientIp } from '@/lib/auth/login';
import { waitMessage } from '@/lib/auth/rate-limit';

export type SignupState = ActionResult<undefined, 'email' | 'password'> | undefined;

export async function signupAction(_prev: SignupState, formData: FormData): Promise<SignupState> {
  const values = keepValues(formData, ['email']);
  const parsed = signupSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  const outcome = await signUp({ ...parsed.data, ip: clientIp(await headers()) });
  if (!outcome.ok) {
    if ('reason' in outcome) return { ok: false, error: 'rate_limited', message: waitMessage(outcome.retryAfterSeconds), values };
    return { ok: false, fieldErrors: { [outcome.field]: [outcome.message] }, values };
  }
  await signIn('credentials', { ...parsed.data, redirect: false });
  await rememberThisDevice(parsed.data.email);
  redirect('/settings/company');
}
