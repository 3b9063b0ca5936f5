'use server';

import { AuthError } from 'next-auth';
import { RedirectType, redirect } from 'next/navigation';
import { z } from 'zod';
import { stateAction } from '@/lib/actions/action';
import { done, refused } from '@/lib/actions/result';
import { signIn } from '@/lib/auth/config';
import { issueHandoff } from '@/lib/handoff/service';
import type { HandoffLink } from '@/lib/handoff/types';
import { translator } from '@/lib/i18n/server';

const target = z.object({ onboardingId: z.uuid(), stepIndex: z.coerce.number().int().min(0).max(50) });

/** "Continue on my phone": a new single-use link to the user's current upload step, with its QR code. */
export const createHandoffAction = stateAction({
  name: 'handoff.create',
  input: target,
  async run({ onboardingId, stepIndex }, { user }) {
    const result = await issueHandoff({ userId: user.id, onboardingId, stepIndex });
    if (!result.ok) return refused(result.reason === 'not_found' ? 'not_found' : 'conflict', (await translator('handoff.panel'))('notThisStep'));
    const { link, qrCode, expiresAt } = result.handoff;
    return done<HandoffLink>({ link, qrCode, expiresAt: expiresAt.toISOString() });
  },
});

/**
 * The phone's side (/h/<token>): takes the link and signs this browser in with a session limited to the
 * link's step (next-auth's 'handoff' provider), then shows the step without the token in the address or
 * the history. Whatever is wrong with the link, nobody is signed in.
 */
export const openHandoffAction = stateAction({
  name: 'handoff.open',
  access: 'public',
  input: z.object({ token: z.string().max(64) }),
  async run({ token }) {
    try {
      await signIn('handoff', { token, redirect: false });
    } catch (error) {
      if (error instanceof AuthError) return refused('not_found', (await translator('handoff.refused'))('body'));
      throw error;
    }
    redirect('/handoff', RedirectType.replace);
  },
});
