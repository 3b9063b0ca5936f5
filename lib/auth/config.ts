import 'server-only';
import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { getEnv } from '@/lib/env';
import { ERROR_BRAND, hasErrorBrand } from '@/lib/errors/brand';
import { openHandoff } from '@/lib/handoff/open';
import { logger } from '@/lib/log';
import { ABSOLUTE_LIFETIME_MS, rotatedSessionFor } from './sessions';
import { deviceCookieFrom } from './known-device';
import { authenticate, clientIp } from './login';
import { revokeOnSignOut } from './signout';

class InvalidLogin extends CredentialsSignin {
  code = 'invalid';
}

class HandoffRefused extends CredentialsSignin {
  code = 'handoff_refused';
}

export class LoginRateLimited extends CredentialsSignin {
  readonly [ERROR_BRAND] = 'LoginRateLimited';
  code = 'rate_limited';
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

export function isLoginRateLimited(error: unknown): error is LoginRateLimited {
  return hasErrorBrand(error, 'LoginRateLimited');
}

// The cookie only carries the id of a row in auth_sessions; that row decides whether the session lives
// (idle timeout, absolute lifetime, revocation), checked by the data-access layer on every request.
export const {
  handlers,
  auth,
  signIn,
  signOut,
  unstable_update: updateSessionCookie,
} = NextAuth(() => ({
  secret: getEnv().authSecret,
  trustHost: true,
  session: { strategy: 'jwt', maxAge: ABSOLUTE_LIFETIME_MS / 1000 },
  pages: { signIn: '/login' },
  logger: {
    error: (error) => {
      // A refused login is an expected outcome, already logged by authenticate(); anything else is not.
      const type = (error as { type?: string }).type ?? error.name;
      if (type === 'CredentialsSignin') return;
      logger().error({ event: 'auth.error', type }, 'auth error');
    },
    warn: (code) => logger().warn({ event: 'auth.warning', code }, 'auth warning'),
    debug: () => undefined,
  },
  providers: [
    Credentials({
      credentials: { email: { label: 'Email', type: 'email' }, password: { label: 'Password', type: 'password' }, timeZone: { type: 'hidden' } },
      async authorize(credentials, request) {
        const email = typeof credentials.email === 'string' ? credentials.email : '';
        const password = typeof credentials.password === 'string' ? credentials.password : '';
        if (!email || !password) throw new InvalidLogin();
        const outcome = await authenticate({
          email,
          password,
          ip: clientIp(request.headers),
          deviceCookie: deviceCookieFrom(request.headers.get('cookie')),
          userAgent: request.headers.get('user-agent'),
          timeZone: typeof credentials.timeZone === 'string' ? credentials.timeZone : undefined,
        });
        if (!outcome.ok) throw outcome.reason === 'rate_limited' ? new LoginRateLimited(outcome.retryAfterSeconds) : new InvalidLogin();
        return { id: outcome.user.id, email: outcome.user.email, sessionId: outcome.session.id };
      },
    }),
    // "Continue on my phone": a single-use link (lib/handoff) instead of a password, for a session that the
    // data-access layer lets open one onboarding step and nothing else.
    Credentials({
      id: 'handoff',
      name: 'Phone hand-off',
      credentials: { token: { type: 'hidden' } },
      async authorize(credentials, request) {
        const opened = await openHandoff(credentials.token, request.headers.get('user-agent'));
        if (!opened) throw new HandoffRefused();
        return { id: opened.userId, email: opened.email, sessionId: opened.sessionId };
      },
    }),
  ],
  // Every sign-out next-auth performs (its /api/auth/signout endpoint, the signOut() behind "Log out")
  // revokes the session row too: clearing the cookie alone leaves any copy of it valid.
  events: { signOut: revokeOnSignOut },
  callbacks: {
    async jwt({ token, user, trigger, session }) {
      if (user) {
        token.sub = user.id;
        token.sid = user.sessionId;
        delete token.email;
        delete token.name;
        delete token.picture;
      }
      // After a re-authentication the cookie moves to the rotated session id (lib/auth/step-up.ts). The
      // update endpoint is open to the browser too, so only the row rotated from this very session counts.
      if (trigger === 'update' && typeof token.sid === 'string' && typeof token.sub === 'string') {
        const rotated = await rotatedSessionFor(token.sid, token.sub, (session as { sessionId?: unknown } | undefined)?.sessionId);
        if (rotated) token.sid = rotated;
      }
      return token;
    },
    session({ session, token }) {
      return { ...session, user: { ...session.user, id: token.sub ?? '' }, sessionId: typeof token.sid === 'string' ? token.sid : undefined };
    },
  },
}));
