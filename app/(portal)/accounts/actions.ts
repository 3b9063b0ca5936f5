'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formAction } from '@/lib/actions/action';
import { done, refused } from '@/lib/actions/result';
import { refreshConsent } from '@/lib/bank-data/refresh';

// What "Refresh" did, shown by the accounts page from the redirect (a closed set of codes and a number, never text).
// A refusal from Finqware is recorded on the consent with its support id: the page shows it there, the notice only
// says the read failed.
type Notice = 'busy' | 'ended' | 'not_found' | 'failed';

/** Reads one consent's accounts now (rate-limited), then shows the accounts page with what happened. */
export const refreshAccountsAction = formAction(
  {
    name: 'accounts.refresh',
    input: z.object({ consentId: z.uuid() }),
    async run({ consentId }, { user }) {
      const outcome = await refreshConsent(user.id, consentId);
      if (outcome.ok) return done();
      if (outcome.reason === 'too_many') return refused('rate_limited', '', { details: [String(Math.ceil(outcome.retryAfterSeconds / 60))] });
      const notice: Notice = outcome.reason === 'busy' || outcome.reason === 'ended' || outcome.reason === 'not_found' ? outcome.reason : 'failed';
      return refused(notice === 'failed' ? 'upstream' : notice === 'not_found' ? 'not_found' : 'conflict', '', { details: [notice] });
    },
  },
  (result, input) => {
    if (!input) return '/accounts?notice=not_found';
    revalidatePath('/accounts');
    if (result.ok) return '/accounts?notice=refreshed';
    if (result.error === 'rate_limited') return `/accounts?notice=too_many&minutes=${result.details?.[0] ?? '10'}`;
    return `/accounts?notice=${result.details?.[0] ?? 'failed'}`;
  },
);
