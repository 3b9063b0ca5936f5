'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { confirmPassword } from '@/lib/account/service';
import { isRecentLogin, requireUser } from '@/lib/auth/dal';
import { waitMessage } from '@/lib/auth/rate-limit';
import { markReauthenticated } from '@/lib/auth/sessions';
import { finishWithPassword, openGuidance, reportLeak, revealPassword } from '@/lib/guidance/service';
import { shown, type GuidanceState } from '@/lib/guidance/view';

const form = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('open'), requestKey: z.string().max(100).optional() }),
  z.object({ intent: z.literal('reveal'), sessionId: z.string().min(1).max(100), password: z.string().max(128).optional() }),
  z.object({ intent: z.literal('done'), sessionId: z.string().min(1).max(100) }),
  z.object({ intent: z.literal('leak'), sessionId: z.string().min(1).max(100) }),
]);

export type { GuidanceState };

const GONE: Record<string, string> = {
  not_found: 'This guidance session was not found.',
  expired: 'This password has expired and can no longer be shown. Open a new session to get a new one.',
  deleted: 'You deleted this password after use. Open a new session to get a new one.',
  invalidated: 'This password was invalidated because it may have leaked.',
};

export async function guidanceAction(_prev: GuidanceState, formData: FormData): Promise<GuidanceState> {
  const user = await requireUser();
  const parsed = form.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { kind: 'error', message: 'That request was not understood. Please reload the page.' };
  const input = parsed.data;
  try {
    switch (input.intent) {
      case 'open':
        return shown(await openGuidance(user.id, { requestKey: input.requestKey }));
      case 'reveal': {
        if (input.password !== undefined) {
          const check = await confirmPassword(user.id, input.password);
          if (!check.ok) {
            const message = check.reason === 'rate_limited' ? waitMessage(check.retryAfterSeconds) : 'This is not your Guidepost password.';
            return { kind: 'reauth', sessionId: input.sessionId, message };
          }
          await markReauthenticated(user.sessionId);
        } else if (!isRecentLogin(user)) {
          return { kind: 'reauth', sessionId: input.sessionId };
        }
        const outcome = await revealPassword(user.id, input.sessionId);
        if (outcome.ok) return shown(outcome);
        if (outcome.reason === 'rate_limited') return { kind: 'error', message: waitMessage(outcome.retryAfterSeconds) };
        return { kind: 'error', message: GONE[outcome.reason]! };
      }
      case 'done':
        await finishWithPassword(user.id, input.sessionId);
        return { kind: 'done', message: 'Done: the password is deleted from Guidepost.' };
      case 'leak':
        return shown(await reportLeak(user.id, input.sessionId), input.sessionId);
    }
  } finally {
    revalidatePath('/guidance');
  }
}
