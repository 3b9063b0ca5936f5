import { NextResponse, type NextRequest } from 'next/server';
import { FLOW_COOKIE, FLOW_TTL_SECONDS, safeReturnPath, sealFlowState } from '@/lib/auth/flow-state';

// Optimistic check only: no session cookie means no session, so send the visitor to the login page
// before rendering anything. Whether a cookie's session is still valid is decided by lib/auth/dal.ts
// in every page, action and route handler.
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

export async function proxy(request: NextRequest) {
  // Server actions authorise themselves (and redirect to /login the way the client router understands).
  if (request.method !== 'GET' && request.method !== 'HEAD') return NextResponse.next();
  const hasSession = request.cookies.getAll().some((cookie) => SESSION_COOKIE.test(cookie.name));
  if (hasSession) return NextResponse.next();
  const login = new URL('/login', request.url);
  const response = NextResponse.redirect(login);
  const returnTo = safeReturnPath(request.nextUrl.pathname + request.nextUrl.search);
  if (returnTo && returnTo !== '/') {
    response.cookies.set(FLOW_COOKIE, await sealFlowState({ returnTo }), {
      httpOnly: true,
      sameSite: 'lax',
      secure: request.nextUrl.protocol === 'https:',
      path: '/',
      maxAge: FLOW_TTL_SECONDS,
    });
  }
  return response;
}

export const config = {
  // Everything but the public pages, the API (each route handler authorises itself), the sandbox and assets.
  matcher: ['/((?!login|signup|api/|sandbox/|_next/|favicon\\.ico|robots\\.txt|.*\\.(?:png|svg|ico|txt)$).*)'],
};
