import 'server-only';
import { and, eq, isNotNull } from 'drizzle-orm';
import { getDb } from '@/lib/db/client';
import { passkeys, totpAuthenticators } from '@/lib/db/schema';
import { getEnv } from '@/lib/env';

// What the login and every portal page need to know of a user's second factors, apart from the rest of
// lib/auth/two-factor (which sends emails, and so reaches the request's language and the session).

/** Which factors the user has, in two indexed lookups: what every portal page needs for its step-up fields. */
export async function secondFactorKinds(userId: string): Promise<{ totp: boolean; passkey: boolean }> {
  const db = await getDb();
  const [totp, passkey] = await Promise.all([
    db
      .select({ id: totpAuthenticators.id })
      .from(totpAuthenticators)
      .where(and(eq(totpAuthenticators.userId, userId), isNotNull(totpAuthenticators.confirmedAt)))
      .limit(1),
    db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.userId, userId)).limit(1),
  ]);
  return { totp: totp.length > 0, passkey: passkey.length > 0 };
}

/** What a login with the right password still needs: the second factor, setting one up (REQUIRE_2FA), or nothing. */
export async function secondFactorStepFor(userId: string): Promise<'verify' | 'enrol' | null> {
  const kinds = await secondFactorKinds(userId);
  if (kinds.totp || kinds.passkey) return 'verify';
  return getEnv().requireTwoFactor ? 'enrol' : null;
}
