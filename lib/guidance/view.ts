import 'server-only';
import { done, refused, type ActionFailure, type ActionResult, type ActionState } from '@/lib/actions/result';
import { bridgeErrorMessage } from '@/lib/bridge/errors';
import { translatorFor } from '@/lib/i18n/server';
import { serverLocale } from '@/lib/i18n/request-locale';
import type { LeakOutcome } from './service';

// What the guidance UI shows after each button, as the ActionResult every action returns, in the reader's
// language (messages/<locale>/guidance.json; English outside a request, so unit tests read English). The password
// travels only in the 'shown' result of the one call that shows it: never in a URL, a cookie or the page's HTML.
// The re-auth result (the action needs the password typed again) comes from the action wrapper, with the request's
// own fields in `values` so the form posts the same intent with the password.
type GuidanceView =
  | { kind: 'shown'; sessionId: string; url: string; password: string; expiresAt: string; replaced?: string }
  | { kind: 'done' }
  // A second send of a request already answered (double click): the page keeps showing the first answer.
  | { kind: 'duplicate' };

export type GuidanceResult = ActionResult<GuidanceView>;
export type GuidanceState = ActionState<GuidanceView>;

async function results() {
  const locale = await serverLocale();
  return { locale, t: translatorFor(locale, 'guidance.results') };
}

/** An opening's (or a leak report's) outcome in the UI's terms; `replaced` names the session a leak report invalidated. */
export async function shown(outcome: LeakOutcome, replaced?: string): Promise<GuidanceResult> {
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
  if (outcome.reason === 'duplicate') return done({ kind: 'duplicate' });
  const { locale, t } = await results();
  // After a leak report the old password is gone whatever happens next: the sentence says so first.
  const afterLeak = (reason: string) => (replaced ? t('replacementFailed', { reason }) : reason);
  switch (outcome.reason) {
    case 'not_found':
      return refused('not_found', t('notFound'));
    case 'already_reported':
      return refused('conflict', outcome.replacedBy ? t('alreadyReplaced') : t('alreadyInvalidated'));
    case 'profile_incomplete':
      return refused('invalid_input', afterLeak(t('profileIncomplete')), { details: outcome.missing });
    case 'rate_limited':
      return refused('rate_limited', afterLeak(t('openLimit', { minutes: Math.ceil(outcome.retryAfterSeconds / 60) })));
    case 'provider':
      return refused('upstream', afterLeak(bridgeErrorMessage(outcome.code, locale)));
  }
}

/** Why a password cannot be shown again: it is gone, or the session was never the user's (told like an unknown id). */
export async function notShown(reason: 'not_found' | 'expired' | 'deleted' | 'invalidated'): Promise<ActionFailure> {
  const { t } = await results();
  return reason === 'not_found' ? refused('not_found', t('notFound')) : refused('conflict', t(reason));
}

/** "I'm done": the password is deleted. */
export async function finished(): Promise<GuidanceResult> {
  const { t } = await results();
  return done({ kind: 'done' }, { message: t('done') });
}
