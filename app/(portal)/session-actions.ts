'use server';

import { z } from 'zod';
import { stateAction } from '@/lib/actions/action';
import { done } from '@/lib/actions/result';
import { extendSession } from '@/lib/auth/sessions';

/** "Stay signed in" in the idle warning: the user is here; the session's idle clock starts again. */
export const staySignedInAction = stateAction({
  name: 'session.extend',
  input: z.object({}),
  async run(_input, { user }) {
    const expiresAt = await extendSession(user.sessionId);
    return done(expiresAt?.toISOString() ?? null);
  },
});
