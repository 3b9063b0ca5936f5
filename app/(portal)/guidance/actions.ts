'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { stateAction } from '@/lib/actions/action';
import { refused } from '@/lib/actions/result';
import { unverifiedRefusal } from '@/lib/actions/verified';
import { waitMessage } from '@/lib/auth/rate-limit';
import { finishWithPassword, openGuidance, reportLeak, revealPassword } from '@/lib/guidance/service';
import { finished, notShown, shown, type GuidanceResult } from '@/lib/guidance/view';

const sessionId = z.string().min(1).max(100);
// The Guidepost password, when the page asked for it (step-up); never kept or echoed.
const password = z.string().max(128).optional();
const form = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('open'), requestKey: z.string().max(100).optional(), password }),
  z.object({ intent: z.literal('reveal'), sessionId, password }),
  z.object({ intent: z.literal('done'), sessionId }),
  z.object({ intent: z.literal('leak'), sessionId, password }),
]);

export const guidanceAction = stateAction({
  name: 'guidance.button',
  input: form,
  // English until the action wrapper translates its own sentences (guidance.results.invalid holds the French).
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
          return await finished();
        case 'open':
          if (!user.emailVerified) return unverifiedRefusal(user)!;
          return await shown(await openGuidance(user.id, { requestKey: input.requestKey }));
        case 'reveal': {
          const outcome = await revealPassword(user.id, input.sessionId);
          if (outcome.ok) return await shown(outcome);
          if (outcome.reason === 'rate_limited') return refused('rate_limited', waitMessage(outcome.retryAfterSeconds));
          return await notShown(outcome.reason);
        }
        case 'leak':
          return await shown(await reportLeak(user.id, input.sessionId), input.sessionId);
      }
    } finally {
      revalidatePath('/guidance');
    }
  },
});
