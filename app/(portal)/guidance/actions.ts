'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { requireUser } from '@/lib/auth/dal';
import { waitMessage } from '@/lib/auth/rate-limit';
import { stepUp } from '@/lib/auth/step-up';
import { finishWithPassword, openGuidance, reportLeak, revealPassword } from '@/lib/guidance/service';
import { shown, type GuidanceState } from '@/lib/guidance/view';

const sessionId = z.string().min(1).max(100);
// The Guidepost password, when the page asked for it (step-up); never kept or echoed.
const password = z.string().max(128).optional();
const form = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('open'), requestKey: z.string().max(100).optional(), password }),
  z.object({ intent: z.literal('reveal'), sessionId, password }),
  z.object({ intent: z.literal('done'), sessionId }),
  z.object({ intent: z.literal('leak'), sessionId, password }),
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
    if (input.intent === 'done') {
      await finishWithPassword(user.id, input.sessionId);
      return { kind: 'done', message: 'Done: the password is deleted from Guidepost.' };
    }
    // Everything else yields a password: only after a recent login, or the password typed now.
    const fit = await stepUp(user, input.password);
    if (!fit.ok) {
      return {
        kind: 'reauth',
        intent: input.intent,
        ...(input.intent === 'open' ? { requestKey: input.requestKey } : { sessionId: input.sessionId }),
        ...(fit.message ? { message: fit.message } : {}),
      };
    }
    switch (input.intent) {
      case 'open':
        return shown(await openGuidance(user.id, { requestKey: input.requestKey }));
      case 'reveal': {
        const outcome = await revealPassword(user.id, input.sessionId);
        if (outcome.ok) return shown(outcome);
        if (outcome.reason === 'rate_limited') return { kind: 'error', message: waitMessage(outcome.retryAfterSeconds) };
        return { kind: 'error', message: GONE[outcome.reason]! };
      }
      case 'leak':
        return shown(await reportLeak(user.id, input.sessionId), input.sessionId);
    }
  } finally {
    revalidatePath('/guidance');
  }
}
