'use server';

import { AuthError } from 'next-auth';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { keepValues, type ActionResult } from '@/lib/action-result';
import { loginSchema } from '@/lib/account/schemas';
import { isLoginRateLimited, signIn } from '@/lib/auth/config';
import { FLOW_COOKIE, safeReturnPath, unsealFlowState } from '@/lib/auth/flow-state';
import { rememberThisDevice } from '@/lib/auth/known-device';
import { waitMessage } from '@/lib/auth/rate-limit';

export type LoginState = ActionResult<undefined, 'email' | 'password'> | undefined;

export async function loginAction(_prev: LoginState, formData: FormData): Promise<LoginState> {
  const values = keepValues(formData, ['email']);
  const parsed = loginSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  try {
    await signIn('credentials', { ...parsed.data, redirect: false });
  } catch (error) {
    if (isLoginRateLimited(error)) return { ok: false, error: 'rate_limited', message: waitMessage(error.retryAfterSeconds), values };
    if (error instanceof AuthError) return { ok: false, error: 'invalid_input', message: 'The email or password is not right.', values };
    throw error;
  }
  const jar = await cookies();
  // This browser now knows the account: strangers' failures cannot lock it out (lib/auth/known-device.ts).
  await rememberThisDevice(parsed.data.email);
  const flow = await unsealFlowState(jar.get(FLOW_COOKIE)?.value);
  jar.delete(FLOW_COOKIE);
  redirect(safeReturnPath(flow.returnTo) ?? '/');
}
