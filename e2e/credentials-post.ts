// next-auth's own credentials endpoint, as a script signs in through it (the portal's form goes through a server action).

/** Signs in through next-auth's own endpoint as a script would, from a chosen X-Forwarded-For. */
export async function credentialsPost(
  baseURL: string,
  email: string,
  password: string,
  forwardedFor: string,
  /** Cookies to send besides the CSRF one (e.g. the known-device cookie a first login set). */
  extraCookies: string[] = [],
): Promise<{ status: number; retryAfter: string | null; cookies: string[] }> {
  const csrf = await fetch(`${baseURL}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = [...(csrf.headers.getSetCookie() ?? []).map((line) => line.split(';')[0]), ...extraCookies].join('; ');
  const response = await fetch(`${baseURL}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': forwardedFor, cookie },
    body: new URLSearchParams({ email, password, csrfToken }).toString(),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    cookies: response.headers.getSetCookie().map((line) => line.split(';')[0]!),
  };
}
