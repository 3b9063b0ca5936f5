import 'server-only';
import { done, refused, type ActionResult, type ActionState } from '@/lib/actions/result';
import { bridgeErrorMessage } from '@/lib/bridge/errors';
import type { LeakOutcome } from './service';

// What the guidance UI shows after each button, as the ActionResult every action returns. The password
// travels only in the 'shown' result of the one call that shows it: never in a URL, a cookie or the
// page's HTML. The re-auth result (the action needs the password typed again) comes from the action
// wrapper, with the request's own fields in `values` so the form posts the same intent with the password.
type GuidanceView =
  | { kind: 'shown'; sessionId: string; url: string; password: string; expiresAt: string; replaced?: string }
  | { kind: 'done' }
  // A second send of a request already answered (double click): the page keeps showing the first answer.
  | { kind: 'duplicate' };

export type GuidanceResult = ActionResult<GuidanceView>;
export type GuidanceState = ActionState<GuidanceView>;

function openLimitMessage(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return `You have opened the most guidance sessions allowed in a short time. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} before opening another.`;
}

/** An opening's (or a leak report's) outcome in the UI's terms; `replaced` names the session a leak report invalidated. */
export function shown(outcome: LeakOutcome, replaced?: string): GuidanceResult {
  if (outcome.ok) {
    return done({
      kind: 'shown',
      sessionId: outcome.session.id,
      url: outcome.session.url,
      password: outcome.password,
      expiresAt: outcome.expiresAt.toISOString(),
      replaced,
    });
  }
  const prefix = replaced ? 'The old password is invalidated, but no new session could be opened. ' : '';
  switch (outcome.reason) {
    case 'duplicate':
      return done({ kind: 'duplicate' });
    case 'not_found':
      return refused('not_found', 'This guidance session was not found.');
    case 'already_reported':
      return refused(
        'conflict',
        outcome.replacedBy
          ? 'This password was already reported as leaked and replaced by a new session. Use “Show password again” on the new session below.'
          : 'This password was already reported as leaked and is invalidated. Open a new session to get a new password.',
      );
    case 'profile_incomplete':
      return refused('invalid_input', `${prefix}Your company profile is missing details.`, { details: outcome.missing });
    case 'rate_limited':
      return refused('rate_limited', `${prefix}${openLimitMessage(outcome.retryAfterSeconds)}`);
    case 'provider':
      return refused('upstream', `${prefix}${bridgeErrorMessage(outcome.code)}`);
  }
}
