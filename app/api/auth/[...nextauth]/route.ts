import type { NextRequest } from 'next/server';
import { handlers } from '@/lib/auth/config';
import { findUserByEmail } from '@/lib/account/users';
import { noticeLoginFromNewDevice } from '@/lib/account/security-notices';
import { deviceCookieFrom, deviceCookieHeader } from '@/lib/auth/known-device';
import { secondFactorStepFor } from '@/lib/auth/two-factor/step';
import { clientIp, loginWait } from '@/lib/auth/login';
import { signOutOrRefuse } from '@/lib/auth/signout';
import { getEnv } from '@/lib/env';
import { translator } from '@/lib/i18n/server';
import { boundedRequest } from '@/lib/http/bounded-request';
import { scriptlessPolicy, withPagePolicy } from '@/lib/http/security-headers';

// next-auth builds its pages' form actions and its redirects from the request's URL, which Next.js
// gives as http://localhost:<port> whatever address the browser used: its sign-out page then posted to
// another host, without the CSRF cookie, and failed. It sees every request at the portal's public
// address (APP_URL) instead.
function atPublicOrigin(request: Request): NextRequest {
  const url = new URL(request.url);
  const publicUrl = new URL(`${url.pathname}${url.search}`, getEnv().appUrl);
  const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers: request.headers, body: request.body, signal: request.signal };
  if (request.body) init.duplex = 'half';
  return new Request(publicUrl, init) as NextRequest;
}

// next-auth's own pages (the sign-out confirmation, errors) get a policy too: they need no script.
export async function GET(request: NextRequest): Promise<Response> {
  return withPagePolicy(await handlers.GET(atPublicOrigin(request)), scriptlessPolicy);
}

/**
 * A credentials sign-in posted straight to next-auth (the portal's own form goes through a server
 * action): past the login limits it is answered 429 with Retry-After, before next-auth sees it.
 */
async function limited(request: Request): Promise<Response | undefined> {
  if (!new URL(request.url).pathname.endsWith('/callback/credentials')) return undefined;
  const form = await request
    .clone()
    .formData()
    .catch(() => undefined);
  const email = form?.get('email');
  const wait = await loginWait({
    email: typeof email === 'string' ? email : '',
    ip: clientIp(request.headers),
    deviceCookie: deviceCookieFrom(request.headers.get('cookie')),
  });
  if (wait <= 0) return undefined;
  const t = await translator('auth');
  return Response.json(
    { error: 'rate_limited', message: t('errors.waitShort', { minutes: Math.ceil(wait / 60) }) },
    { status: 429, headers: { 'Retry-After': String(wait), 'Cache-Control': 'no-store' } },
  );
}

const SESSION_COOKIE_SET = /^(__Secure-)?authjs\.session-token(\.\d+)?=[^;]+/;

/**
 * A credentials sign-in through next-auth's own endpoint that opened a full session (no second factor due): the
 * new-device email and the known-device cookie, as the login page gives them (lib/auth/two-factor/login.ts).
 */
async function afterScriptLogin(request: Request, response: Response): Promise<Response> {
  if (!response.headers.getSetCookie().some((cookie) => SESSION_COOKIE_SET.test(cookie))) return response;
  const email = (await request.formData().catch(() => undefined))?.get('email');
  const user = typeof email === 'string' ? await findUserByEmail(email) : undefined;
  if (!user || (await secondFactorStepFor(user.id))) return response;
  await noticeLoginFromNewDevice(user.email, { cookieHeader: request.headers.get('cookie'), userAgent: request.headers.get('user-agent') });
  const headers = new Headers(response.headers);
  headers.append('Set-Cookie', deviceCookieHeader(user.email));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// Sign-in and sign-out posts are a few fields: the body is read with a cap before next-auth sees it.
// The sign-out endpoint is kept (rather than disabled) because it now revokes like "Log out" (see
// lib/auth/signout.ts); a sign-out whose revocation failed is refused rather than half done.
export async function POST(request: NextRequest): Promise<Response> {
  const bounded = await boundedRequest(request, { maxBytes: 16 * 1024, limitDescription: 'a sign-in form (16 KiB)' });
  if (bounded instanceof Response) return bounded;
  const refused = await limited(bounded);
  if (refused) return refused;
  // The form, read again after next-auth's answer (its body goes to next-auth).
  const form = new URL(bounded.url).pathname.endsWith('/callback/credentials') ? bounded.clone() : undefined;
  const forNextAuth = atPublicOrigin(bounded);
  if (new URL(forNextAuth.url).pathname.endsWith('/signout')) {
    return signOutOrRefuse(
      () => handlers.POST(forNextAuth),
      async () => (await translator('auth'))('errors.signOutFailed'),
    );
  }
  const response = await handlers.POST(forNextAuth);
  return form ? afterScriptLogin(form, response) : response;
}
