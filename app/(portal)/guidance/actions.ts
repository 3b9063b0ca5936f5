'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { stateAction } from '@/lib/actions/action';
import { done, refused } from '@/lib/actions/result';
import { waitMessage } from '@/lib/auth/rate-limit';
import { finishWithPassword, openGuidance, reportLeak, revealPassword } from '@/lib/guidance/service';
import { shown, type GuidanceResult } from '@/lib/guidance/view';

const sessionId = z.string().min(1).max(100);
// The Guidepost password, when the page asked for it (step-up); never kept or echoed.
const password = z.string().max(128).optional();
const form = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('open'), requestKey: z.string().max(100).optional(), password }),
  z.object({ intent: z.literal('reveal'), sessionId, password }),
  z.object({ intent: z.literal('done'), sessionId }),
  z.object({ intent: z.literal('leak'), sessionId, password }),
]);

const GONE: Record<string, string> = {
  not_found: 'This guidance session was not found.',
  expired: 'This password has expired and can no longer be shown. Open a new session to get a new one.',
  deleted: 'You deleted this password after use. Open a new session to get a new one.',
  invalidated: 'This password was invalidated because it may have leaked.',
};

export const guidanceAction = stateAction({
  name: 'guidance.button',
  input: form,
  invalid: { message: 'That request was not understood. Please reload the page.' },
  // The re-auth form posts the same request again: its intent and session (or opening key) come back with it.
  keep: ['intent', 'sessionId', 'requestKey'],
  // Everything but "I'm done" yields a password: only after a recent login, or the password typed now.
  recentLogin: (input) => input.intent !== 'done',
  async run(input, { user }): Promise<GuidanceResult> {
    try {
      switch (input.intent) {
        case 'done':
          await finishWithPassword(user.id, input.sessionId);
          return done({ kind: 'done' }, { message: 'Done: the password is deleted from Guidepost.' });
        case 'open':
          return shown(await openGuidance(user.id, { requestKey: input.requestKey }));
        case 'reveal': {
          const outcome = await revealPassword(user.id, input.sessionId);
          if (outcome.ok) return shown(outcome);
          if (outcome.reason === 'rate_limited') return refused('rate_limited', waitMessage(outcome.retryAfterSeconds));
          return refused(outcome.reason === 'not_found' ? 'not_found' : 'conflict', GONE[outcome.reason]!);
        }
        case 'leak':
          return shown(await reportLeak(user.id, input.sessionId), input.sessionId);
      }
    } finally {
      revalidatePath('/guidance');
    }
  },
});
