import 'server-only';
import { bridgeErrorMessage } from '@/lib/bridge/errors';
import type { OpenOutcome } from './service';

// What the guidance UI shows after each button. The password travels only in the 'shown' result of
// the one call that shows it: never in a URL, a cookie or the page's HTML.
export type GuidanceState =
  | undefined
  | { kind: 'shown'; sessionId: string; url: string; password: string; expiresAt: string; replaced?: string }
  | { kind: 'reauth'; sessionId: string; message?: string }
  | { kind: 'done'; message: string }
  | { kind: 'error'; message: string; missing?: string[] };

/** An opening's outcome in the UI's terms; `replaced` names the session a leak report invalidated. */
export function shown(outcome: OpenOutcome, replaced?: string): GuidanceState {
  if (outcome.ok) {
    return { kind: 'shown', sessionId: outcome.session.id, url: outcome.session.url, password: outcome.password, expiresAt: outcome.expiresAt.toISOString(), replaced };
  }
  const prefix = replaced ? 'The old password is invalidated, but no new session could be opened. ' : '';
  if (outcome.reason === 'profile_incomplete') return { kind: 'error', message: `${prefix}Your company profile is missing details.`, missing: outcome.missing };
  return { kind: 'error', message: `${prefix}${bridgeErrorMessage(outcome.code)}` };
}
