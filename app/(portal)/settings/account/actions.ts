'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import type { ActionResult } from '@/lib/action-result';
import { changePasswordSchema, confirmPasswordSchema } from '@/lib/account/schemas';
import { changePassword, deleteAccount } from '@/lib/account/service';
import { signOut } from '@/lib/auth/config';
import { requireUser } from '@/lib/auth/dal';
import { rotateAfterPassword } from '@/lib/auth/step-up';
import { waitMessage } from '@/lib/auth/rate-limit';
import { revokeUserSessions } from '@/lib/auth/sessions';

export type ChangePasswordState = ActionResult<undefined, 'currentPassword' | 'newPassword'> | undefined;
export type DeleteAccountState = ActionResult<undefined, 'password'> | undefined;

const WRONG_PASSWORD = 'This is not your current password.';

export async function changePasswordAction(_prev: ChangePasswordState, formData: FormData): Promise<ChangePasswordState> {
  const user = await requireUser();
  const parsed = changePasswordSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const outcome = await changePassword({ userId: user.id, sessionId: user.sessionId, ...parsed.data });
  if (outcome.ok) {
    // The password was just typed: this session goes on under a new id.
    await rotateAfterPassword(user);
    return { ok: true, data: undefined, message: 'Password changed. You were logged out on every other device.' };
  }
  switch (outcome.reason) {
    case 'invalid':
      return { ok: false, fieldErrors: { currentPassword: [WRONG_PASSWORD] } };
    case 'weak':
      return { ok: false, fieldErrors: { newPassword: [outcome.message] } };
    case 'rate_limited':
      return { ok: false, error: 'rate_limited', message: waitMessage(outcome.retryAfterSeconds) };
  }
}

export async function logoutEverywhereAction(): Promise<void> {
  const user = await requireUser();
  await revokeUserSessions(user.id);
  await signOut({ redirectTo: '/login' });
}

export async function deleteAccountAction(_prev: DeleteAccountState, formData: FormData): Promise<DeleteAccountState> {
  const user = await requireUser();
  const parsed = confirmPasswordSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { ok: false, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const outcome = await deleteAccount({ userId: user.id, password: parsed.data.password });
  if (!outcome.ok) {
    switch (outcome.reason) {
      case 'invalid':
        return { ok: false, fieldErrors: { password: [WRONG_PASSWORD] } };
      case 'rate_limited':
        return { ok: false, error: 'rate_limited', message: waitMessage(outcome.retryAfterSeconds) };
      case 'cleanup_failed':
        return {
          ok: false,
          error: 'upstream',
          message: `We could not delete your data at ${outcome.provider}, so nothing was deleted yet. Please try again in a few minutes.`,
        };
    }
  }
  await signOut({ redirect: false });
  redirect('/login?deleted=1');
}
