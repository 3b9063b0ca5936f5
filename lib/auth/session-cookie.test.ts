import { decode, encode } from 'next-auth/jwt';
import { describe, expect, it } from 'vitest';
import { getEnv } from '@/lib/env';
import { sessionClaimsFrom } from './session-cookie';

// The session cookie as Auth.js writes it at login (the jwt callback of lib/auth/config.ts), read back the way every
// page reads it: the session id and user, or nothing.
const SALT = 'authjs.session-token';
const sessionId = '0b7f0a53-5b1e-4c56-9f1c-2a4f3c8d9e10';
const userId = '6a1c2f0e-8d3b-4f5a-b7c9-0e1d2f3a4b5c';

async function cookieFor(claims: Record<string, unknown>, { name = SALT, maxAge = 3600 } = {}) {
  const token = await encode({ token: claims, secret: getEnv().authSecret, salt: name, maxAge });
  return new Headers({ cookie: `other=1; ${name}=${token}` });
}

describe('sessionClaimsFrom', () => {
  it('reads the session id and user of a cookie Auth.js wrote, and again from memory', async () => {
    const headers = await cookieFor({ sub: userId, sid: sessionId });
    expect(await sessionClaimsFrom(headers)).toEqual({ sessionId, userId });
    expect(await sessionClaimsFrom(headers)).toEqual({ sessionId, userId });
  });

  it('reads the __Secure- cookie Auth.js writes on https', async () => {
    const name = `__Secure-${SALT}`;
    expect(await sessionClaimsFrom(await cookieFor({ sub: userId, sid: sessionId }, { name }))).toEqual({ sessionId, userId });
  });

  it('refuses no cookie, a tampered one, one sealed with another secret, and one without a session id', async () => {
    expect(await sessionClaimsFrom(new Headers())).toBeNull();
    expect(await sessionClaimsFrom(new Headers({ cookie: `${SALT}=not-a-token` }))).toBeNull();
    const genuine = (await cookieFor({ sub: userId, sid: sessionId })).get('cookie')!;
    const tampered = genuine.slice(0, -4) + (genuine.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(await sessionClaimsFrom(new Headers({ cookie: tampered }))).toBeNull();
    const foreign = await encode({ token: { sub: userId, sid: sessionId }, secret: 'another-secret-of-at-least-32-characters', salt: SALT });
    expect(await sessionClaimsFrom(new Headers({ cookie: `${SALT}=${foreign}` }))).toBeNull();
    expect(await sessionClaimsFrom(await cookieFor({ sub: userId }))).toBeNull();
  });

  it('refuses a cookie past its expiry, also once it was read while still valid', async () => {
    const headers = await cookieFor({ sub: userId, sid: sessionId }, { maxAge: 60 });
    expect(await sessionClaimsFrom(headers)).toEqual({ sessionId, userId });
    // exp (whole seconds) is 60 s ahead; Auth.js tolerates 15 s of clock skew, and so does the memory of decoded cookies.
    // Timed from the cookie's own exp: from the clock, the rounding to seconds made it fail at random.
    const token = headers.get('cookie')!.split(`${SALT}=`)[1]!;
    const { exp } = (await decode({ token, secret: getEnv().authSecret, salt: SALT }))!;
    const lastValidMs = (exp as number) * 1000 + 15_000 - 1;
    expect(lastValidMs - Date.now()).toBeGreaterThan(70_000);
    expect(await sessionClaimsFrom(headers, lastValidMs)).toEqual({ sessionId, userId });
    expect(await sessionClaimsFrom(headers, lastValidMs + 1)).toBeNull();
  });
});
