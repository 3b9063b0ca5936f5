import { describe, expect, it } from 'vitest';
import { encode } from 'next-auth/jwt';
import type { NextRequest } from 'next/server';
import { GET, POST } from '@/app/api/auth/[...nextauth]/route';
import { setDatabaseForTests, type Database, type DatabaseHandle } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { databaseKinds, insertUser, useTestDatabase } from '@/test/databases';
import { createAuthSession, loadActiveSession } from './sessions';
import { revokeOnSignOut } from './signout';

// next-auth's own sign-out endpoint, driven through the route handler as a browser would: GET the
// confirmation page (CSRF token and cookie), then POST its form with the session cookie.

const SESSION_COOKIE = 'authjs.session-token';
const origin = () => getEnv().appUrl;

async function sessionCookie(userId: string, sessionId: string): Promise<string> {
  const value = await encode({ token: { sub: userId, sid: sessionId }, secret: getEnv().authSecret, salt: SESSION_COOKIE });
  return `${SESSION_COOKIE}=${value}`;
}

/** name=value pairs of a response's Set-Cookie headers. */
function setCookies(response: Response): Map<string, string> {
  return new Map(response.headers.getSetCookie().map((line) => line.split(';')[0]!.split(/=(.*)/s).slice(0, 2) as [string, string]));
}

/** The sign-out page's form: where it posts, its CSRF token, and the CSRF cookie that goes with it. */
async function signOutPage(cookie: string) {
  const page = await GET(new Request(`${origin()}/api/auth/signout`, { headers: { cookie } }) as NextRequest);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = /<form action="([^"]+)"/.exec(html)?.[1];
  const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(html)?.[1];
  const csrfCookie = [...setCookies(page)].find(([name]) => name.endsWith('csrf-token'));
  expect(csrfToken && csrfCookie).toBeTruthy();
  return { action: action!, csrfToken: csrfToken!, csrfCookie: `${csrfCookie![0]}=${csrfCookie![1]}` };
}

function postSignOut(action: string, cookie: string, csrfToken: string): Promise<Response> {
  return POST(
    new Request(action, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrfToken }).toString(),
    }) as NextRequest,
  );
}

describe.each(databaseKinds)('signing out through next-auth on %s', (kind) => {
  const database = useTestDatabase(kind);

  async function signedIn() {
    const userId = await insertUser(database);
    const session = await createAuthSession(userId, 'vitest');
    return { userId, sessionId: session.id, cookie: await sessionCookie(userId, session.id) };
  }

  it('revokes the session row, so the cookie it cleared is refused if replayed', async () => {
    const { sessionId, cookie } = await signedIn();
    const page = await signOutPage(cookie);
    // The form posts to the portal's own address, where the browser holds the CSRF cookie.
    expect(new URL(page.action).origin).toBe(origin());

    const response = await postSignOut(page.action, `${cookie}; ${page.csrfCookie}`, page.csrfToken);
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location')!).origin).toBe(origin());
    expect(setCookies(response).get(SESSION_COOKIE)).toBe('');
    expect(await loadActiveSession(sessionId)).toBeNull();
  });

  it('without the CSRF token signs nobody out', async () => {
    const { sessionId, cookie } = await signedIn();
    const response = await postSignOut(`${origin()}/api/auth/signout`, cookie, 'forged');
    expect(setCookies(response).has(SESSION_COOKIE)).toBe(false);
    expect(await loadActiveSession(sessionId)).not.toBeNull();
  });

  it('answers 503 and keeps the cookie when the session cannot be revoked', async () => {
    const { sessionId, cookie } = await signedIn();
    const page = await signOutPage(cookie);
    // The database fails every query for the length of the sign-out.
    const failing: DatabaseHandle = {
      kind: database.kind,
      close: async () => undefined,
      db: new Proxy({} as Database, {
        get: () => () => {
          throw new Error('database unavailable');
        },
      }),
    };
    setDatabaseForTests(failing);
    let response: Response;
    try {
      response = await postSignOut(page.action, `${cookie}; ${page.csrfCookie}`, page.csrfToken);
    } finally {
      setDatabaseForTests(database);
    }
    expect(response.status).toBe(503);
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await loadActiveSession(sessionId)).not.toBeNull();
  });

  it('the event revokes whatever session the token names, and ignores a token without one', async () => {
    const { sessionId } = await signedIn();
    await revokeOnSignOut({ token: { sid: sessionId } });
    expect(await loadActiveSession(sessionId)).toBeNull();
    await expect(revokeOnSignOut({ token: null })).resolves.toBeUndefined();
    await expect(revokeOnSignOut({ token: { sid: 'not-a-session-id' } })).resolves.toBeUndefined();
  });
});
