import { handlers } from '@/lib/auth/config';
import { deviceCookieFrom } from '@/lib/auth/known-device';
import { clientIp, loginWait } from '@/lib/auth/login';
import { boundedRequest } from '@/lib/http/bounded-request';

export const { GET } = handlers;

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
  return Response.json(
    { error: 'rate_limited', message: `Too many attempts. Try again in ${Math.ceil(wait / 60)} minute(s).` },
    { status: 429, headers: { 'Retry-After': String(wait), 'Cache-Control': 'no-store' } },
  );
}

// Sign-in and sign-out posts are a few fields: the body is read with a cap before next-auth sees it.
export async function POST(request: Request): Promise<Response> {
  const bounded = await boundedRequest(request, { maxBytes: 16 * 1024, limitDescription: 'a sign-in form (16 KiB)' });
  if (bounded instanceof Response) return bounded;
  return (await limited(bounded)) ?? handlers.POST(bounded as Parameters<typeof handlers.POST>[0]);
}
