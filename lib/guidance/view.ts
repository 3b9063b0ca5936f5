import 'server-only';
import { bridgeErrorMessage } from '@/lib/bridge/errors';
import type { LeakOutcome } from './service';

// What the guidance UI shows after each button. The password travels only in the 'shown' result of
// the one call that shows it: never in a URL, a cookie or the page's HTML.
export type GuidanceState =
  | undefined
  | { kind: 'shown'; sessionId: string; url: string; password: string; expiresAt: string; replaced?: string }
  // The action needs the password typed again (step-up); the form posts the same intent with it.
  | { kind: 'reauth'; intent: 'open' | 'reveal' | 'leak'; sessionId?: string; requestKey?: string; message?: string }
  | { kind: 'done'; message: string }
  | { kind: 'error'; message: string; missing?: string[] }
  // A second send of a request already answered (double click): the page keeps showing the first answer.
  | { kind: 'duplicate' };

function openLimitMessage(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return `You have opened the most guidance sessions allowed in a short time. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} before opening another.`;
}

/** An opening's (or a leak report's) outcome in the UI's terms; `replaced` names the session a leak report invalidated. */
export function shown(outcome: LeakOutcome, replaced?: string): GuidanceState {
  if (outcome.ok) {
    return { kind: 'shown', sessionId: outcome.session.id, url: outcome.session.url, password: outcome.password, expiresAt: outcome.expiresAt.toISOString(), replaced };
  }
  const prefix = replaced ? 'The old password is invalidated, but no new session could be opened. ' : '';
  switch (outcome.reason) {
    case 'duplicate':
      return { kind: 'duplicate' };
    case 'not_found':
      return { kind: 'error', message: 'This guidance session was not found.' };
    case 'already_reported':
      return {
        kind: 'error',
        message: outcome.replacedBy
          ? 'This password was already reported as leaked and replaced by a new session. Use “Show password again” on the new session below.'
          : 'This password was already reported as leaked and is invalidated. Open a new session to get a new password.',
      };
    case 'profile_incomplete':
      return { kind: 'error', message: `${prefix}Your company profile is missing details.`, missing: outcome.missing };
    case 'rate_limited':
      return { kind: 'error', message: `${prefix}${openLimitMessage(outcome.retryAfterSeconds)}` };
    case 'provider':
      return { kind: 'error', message: `${prefix}${bridgeErrorMessage(outcome.code)}` };
  }
}
