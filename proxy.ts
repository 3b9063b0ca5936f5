import { NextResponse, type NextRequest } from 'next/server';
import { FLOW_COOKIE, FLOW_TTL_SECONDS, safeReturnPath, sealFlowState } from '@/lib/auth/flow-state';
import { getEnv } from '@/lib/env';
import { contentSecurityPolicy, newNonce, STRICT_TRANSPORT_SECURITY } from '@/lib/http/security-headers';

// Every page gets a Content-Security-Policy with a nonce of its own (Next.js reads it from the
// request's CSP header and puts it on its scripts), and HSTS when the portal is served over https.
// Pages behind login are also redirected here when there is no session cookie at all: an optimistic
// check only. Whether a cookie's session is still valid is decided by lib/auth/dal.ts in every page,
// action and route handler.
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;
// h/ and handoff/: a phone opening a "Continue on my phone" link has no session yet, or one the portal ignores.
// bench/: the benchmark build's bare pages, measured without a session (npm run bench); elsewhere they do not exist.
const PUBLIC_PAGES = /^\/(login|signup|forgot-password|reset-password|verify-email|privacy|h|handoff|bench)(\/|$)/;

export async function proxy(request: NextRequest) {
  const env = getEnv();
  const https = env.appUrl.startsWith('https:');
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, { development: env.nodeEnv === 'development', https });
  const secure = (response: NextResponse) => {
    response.headers.set('Content-Security-Policy', csp);
    if (https) response.headers.set('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
    return response;
  };

  const isRead = request.method === 'GET' || request.method === 'HEAD';
  const hasSession = request.cookies.getAll().some((cookie) => SESSION_COOKIE.test(cookie.name));
  // Server actions authorise themselves (and redirect to /login the way the client router understands).
  if (isRead && !hasSession && !PUBLIC_PAGES.test(request.nextUrl.pathname)) {
    const response = NextResponse.redirect(new URL('/login', request.url));
    const returnTo = safeReturnPath(request.nextUrl.pathname + request.nextUrl.search);
    if (returnTo && returnTo !== '/') {
      response.cookies.set(FLOW_COOKIE, await sealFlowState({ returnTo }), {
        httpOnly: true,
        sameSite: 'lax',
        secure: https,
        path: '/',
        maxAge: FLOW_TTL_SECONDS,
      });
    }
    return secure(response);
  }

  const headers = new Headers(request.headers);
  headers.set('Content-Security-Policy', csp);
  headers.set('x-nonce', nonce);
  // The page asked for, so a session that turns out to have ended can send the user back here after logging in.
  headers.set('x-pathname', request.nextUrl.pathname + request.nextUrl.search);
  return secure(NextResponse.next({ request: { headers } }));
}

export const config = {
  // Pages only: route handlers under /api answer JSON, the sandbox sets its own policy, assets are files.
  matcher: [
    {
      source: '/((?!api/|sandbox/|_next/static|_next/image|favicon\\.ico|robots\\.txt|.*\\.(?:png|svg|ico|txt|css|js|map)$).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
