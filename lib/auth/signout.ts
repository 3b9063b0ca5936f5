import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { JWT } from '@auth/core/jwt';
import { revokeSession } from './sessions';

// Every sign-out ends the auth_sessions row its cookie names, so a copy of the cookie taken before is
// worthless afterwards. next-auth emits events.signOut for each of its sign-outs (its own
// /api/auth/signout endpoint and the server-side signOut() behind the portal's "Log out"), with the
// decoded token under the JWT strategy: one hook covers every way in.
//
// next-auth swallows what the event throws (it logs it) and clears the cookie anyway, which would tell
// the user they are signed out while the row still lives. The endpoint therefore runs inside a scope
// that records the failure, and answers 503 instead of next-auth's cookie-clearing redirect.

interface SignOutScope {
  revokeFailed: boolean;
}

// On globalThis: the production build bundles lib/ more than once, and the route handler and the event
// must share one store whichever copy each comes from.
const STORAGE = Symbol.for('guidepost.auth.signout-scope');
const holder = globalThis as unknown as { [STORAGE]?: AsyncLocalStorage<SignOutScope> };
const scopes = (holder[STORAGE] ??= new AsyncLocalStorage<SignOutScope>());

/** next-auth's events.signOut: revokes the session the signed-out token named. Throws when it could not. */
export async function revokeOnSignOut(message: { token: JWT | null } | { session: unknown }): Promise<void> {
  const sid = 'token' in message ? message.token?.sid : undefined;
  if (typeof sid !== 'string') return;
  try {
    await revokeSession(sid);
  } catch (error) {
    const scope = scopes.getStore();
    if (scope) scope.revokeFailed = true;
    throw error;
  }
}

/**
 * Runs next-auth's sign-out endpoint; when the session could not be revoked, answers 503 without
 * next-auth's response (so the cookie stays and the user knows to try again) rather than pretend.
 * `refusal` gives that answer's sentence in the user's language (the route's translator: next-auth's
 * configuration imports this module, so it cannot reach the request's language itself).
 */
export async function signOutOrRefuse(signOut: () => Promise<Response>, refusal: () => Promise<string>): Promise<Response> {
  const scope: SignOutScope = { revokeFailed: false };
  const response = await scopes.run(scope, signOut);
  if (!scope.revokeFailed) return response;
  return Response.json({ error: 'signout_failed', message: await refusal() }, { status: 503, headers: { 'Cache-Control': 'no-store', 'Retry-After': '5' } });
}
