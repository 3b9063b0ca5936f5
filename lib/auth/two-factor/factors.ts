import 'server-only';
import { randomUUID } from 'node:crypto';
import { and, count, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import { getDb } from '@/lib/db/client';
import { passkeys, recoveryCodes, totpAuthenticators } from '@/lib/db/schema';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/log';
import { sendMailAfterResponse } from '@/lib/mail/mailer';
import { recipientOf, secondFactorMail, type SecondFactorChange } from '@/lib/mail/templates';
import { findUserById } from '@/lib/account/users';
import { qrCodeDataUrl } from '@/lib/handoff/qr';
import { listPasskeys, registerPasskey, verifyPasskey } from './passkeys';
import { hashRecoveryCode, newRecoveryCodes, recoveryCodeOf } from './recovery-codes';
import { openTotpSecret, sealTotpSecret } from './sealing';
import { groupedSecret, matchTotp, newTotpSecret, totpCodeOf, totpUri } from './totp';

// A user's second factors: an authenticator app (TOTP), passkeys, and the recovery codes that come with the first of
// them. Adding or removing a factor is emailed to the user; removing the last one is refused when the operator
// requires two-step sign-in (REQUIRE_2FA).

export interface FactorSummary {
  totp: boolean;
  passkeys: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null }[];
  recoveryCodesLeft: number;
}

export async function factorSummary(userId: string): Promise<FactorSummary> {
  const db = await getDb();
  const [[totp], keys, left] = await Promise.all([
    db
      .select({ id: totpAuthenticators.id })
      .from(totpAuthenticators)
      .where(and(eq(totpAuthenticators.userId, userId), isNotNull(totpAuthenticators.confirmedAt))),
    listPasskeys(userId),
    recoveryCodesLeft(userId),
  ]);
  return {
    totp: totp !== undefined,
    passkeys: keys.map(({ id, name, createdAt, lastUsedAt }) => ({ id, name, createdAt, lastUsedAt })),
    recoveryCodesLeft: left,
  };
}

async function recoveryCodesLeft(userId: string): Promise<number> {
  const db = await getDb();
  const [codes] = await db
    .select({ left: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return codes?.left ?? 0;
}

export const hasSecondFactor = (summary: FactorSummary) => summary.totp || summary.passkeys.length > 0;

export { secondFactorKinds, secondFactorStepFor } from './step';

async function notify(userId: string, change: SecondFactorChange): Promise<void> {
  const user = await findUserById(userId);
  if (user) sendMailAfterResponse(secondFactorMail(await recipientOf(user), new Date(), change));
  logger().info({ event: `two_factor.${change.factor}_${change.action}`, userId }, 'second factor changed');
}

// --- Authenticator app -----------------------------------------------------------------------------------------

export type TotpSetup = { ok: true; secret: string; groupedSecret: string; qrCode: string; uri: string } | { ok: false; reason: 'exists' };

/**
 * A new secret for the user's authenticator app, waiting for its first code (confirmTotp). Asking again replaces a
 * setup that was not confirmed; one confirmed app at a time (remove it to set up another).
 */
export async function beginTotpSetup(user: { id: string; email: string }): Promise<TotpSetup> {
  const db = await getDb();
  const secret = newTotpSecret();
  const id = randomUUID();
  const created = await db.transaction(async (tx) => {
    await tx.delete(totpAuthenticators).where(and(eq(totpAuthenticators.userId, user.id), isNull(totpAuthenticators.confirmedAt)));
    const [row] = await tx
      .insert(totpAuthenticators)
      .values({ id, userId: user.id, secretSealed: sealTotpSecret(id, secret) })
      .onConflictDoNothing({ target: totpAuthenticators.userId })
      .returning({ id: totpAuthenticators.id });
    return row !== undefined;
  });
  if (!created) return { ok: false, reason: 'exists' };
  const uri = totpUri(secret, user.email);
  return { ok: true, secret, groupedSecret: groupedSecret(secret), uri, qrCode: await qrCodeDataUrl(uri) };
}

export type FactorAdded = { ok: true; recoveryCodes: string[] | undefined } | { ok: false; reason: 'invalid' | 'not_started' };

/** The first code from the app confirms the setup; the user's first factor comes with ten recovery codes. */
export async function confirmTotp(userId: string, typed: string, now = Date.now()): Promise<FactorAdded> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(totpAuthenticators)
    .where(and(eq(totpAuthenticators.userId, userId), isNull(totpAuthenticators.confirmedAt)));
  if (!row) return { ok: false, reason: 'not_started' };
  const code = totpCodeOf(typed);
  const step = code ? matchTotp(openTotpSecret(row.id, row.secretSealed), code, { now }) : undefined;
  if (step === undefined) return { ok: false, reason: 'invalid' };
  const [confirmed] = await db
    .update(totpAuthenticators)
    .set({ confirmedAt: new Date(now), lastUsedStep: step })
    .where(and(eq(totpAuthenticators.id, row.id), isNull(totpAuthenticators.confirmedAt)))
    .returning({ id: totpAuthenticators.id });
  if (!confirmed) return { ok: false, reason: 'not_started' };
  await notify(userId, { factor: 'totp', action: 'added' });
  return { ok: true, recoveryCodes: await recoveryCodesForNewFactor(userId) };
}

/** Keeps a passkey the browser just created (passkeyRegistrationOptions first); the first factor brings recovery codes. */
export async function addPasskey(user: { id: string }, sessionId: string, responseText: string, name: string): Promise<FactorAdded> {
  const registered = await registerPasskey(user, sessionId, responseText, name);
  if (!registered.ok) return { ok: false, reason: 'invalid' };
  await notify(user.id, { factor: 'passkey', action: 'added', name });
  return { ok: true, recoveryCodes: await recoveryCodesForNewFactor(user.id) };
}

// --- Recovery codes --------------------------------------------------------------------------------------------

async function recoveryCodesForNewFactor(userId: string): Promise<string[] | undefined> {
  const summary = await factorSummary(userId);
  // A second factor added to a first one keeps the codes the user already holds.
  if (summary.recoveryCodesLeft > 0 && (summary.totp ? 1 : 0) + summary.passkeys.length > 1) return undefined;
  return replaceRecoveryCodes(userId);
}

/** Ten new codes; every earlier one stops working. Only for a user with a second factor. */
export async function replaceRecoveryCodes(userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.insert(recoveryCodes).values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(userId, recoveryCodeOf(code)!) })));
  });
  logger().info({ event: 'two_factor.recovery_codes_replaced', userId }, 'recovery codes replaced');
  return codes;
}

// --- Proving the second factor ---------------------------------------------------------------------------------

/** What the user gave: a code typed (the app's or a recovery code) or a passkey's response (JSON from the browser). */
export interface SecondFactorProof {
  code?: string;
  passkey?: string;
}

export type SecondFactorCheck =
  { ok: true; method: 'totp' | 'recovery_code' | 'passkey'; recoveryCodesLeft?: number } | { ok: false; reason: 'missing' | 'invalid' };

/**
 * Checks the proof: each app code and each recovery code works once (the code's time step, the recovery code's row,
 * taken by one conditional write, so two requests racing with one code cannot both pass).
 */
export async function verifySecondFactor(userId: string, sessionId: string, proof: SecondFactorProof, now = Date.now()): Promise<SecondFactorCheck> {
  if (proof.passkey) return (await verifyPasskey(userId, sessionId, proof.passkey)) ? { ok: true, method: 'passkey' } : { ok: false, reason: 'invalid' };
  const typed = proof.code?.trim();
  if (!typed) return { ok: false, reason: 'missing' };
  const db = await getDb();
  const totpCode = totpCodeOf(typed);
  if (totpCode) {
    const [row] = await db
      .select()
      .from(totpAuthenticators)
      .where(and(eq(totpAuthenticators.userId, userId), isNotNull(totpAuthenticators.confirmedAt)));
    const step = row ? matchTotp(openTotpSecret(row.id, row.secretSealed), totpCode, { now, lastUsedStep: row.lastUsedStep }) : undefined;
    if (row && step !== undefined) {
      const [taken] = await db
        .update(totpAuthenticators)
        .set({ lastUsedStep: step })
        .where(and(eq(totpAuthenticators.id, row.id), or(isNull(totpAuthenticators.lastUsedStep), lt(totpAuthenticators.lastUsedStep, step))))
        .returning({ id: totpAuthenticators.id });
      if (taken) return { ok: true, method: 'totp' };
    }
    return { ok: false, reason: 'invalid' };
  }
  const recovery = recoveryCodeOf(typed);
  if (!recovery) return { ok: false, reason: 'invalid' };
  const [used] = await db
    .update(recoveryCodes)
    .set({ usedAt: new Date(now) })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, hashRecoveryCode(userId, recovery)), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  if (!used) return { ok: false, reason: 'invalid' };
  const left = await recoveryCodesLeft(userId);
  logger().info({ event: 'two_factor.recovery_code_used', userId, left }, 'recovery code used');
  return { ok: true, method: 'recovery_code', recoveryCodesLeft: left };
}

// --- Removing a factor -----------------------------------------------------------------------------------------

export type FactorRemoval = { ok: true } | { ok: false; reason: 'not_found' | 'last_required' };

async function removeFactor(userId: string, remove: () => Promise<boolean>, change: SecondFactorChange): Promise<FactorRemoval> {
  const before = await factorSummary(userId);
  const factors = (before.totp ? 1 : 0) + before.passkeys.length;
  if (factors <= 1 && getEnv().requireTwoFactor) return { ok: false, reason: 'last_required' };
  if (!(await remove())) return { ok: false, reason: 'not_found' };
  // No factor left: the recovery codes would be a way in to nothing.
  if (factors <= 1) {
    const db = await getDb();
    await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  }
  await notify(userId, change);
  return { ok: true };
}

export async function removeTotp(userId: string): Promise<FactorRemoval> {
  const db = await getDb();
  return removeFactor(
    userId,
    async () =>
      (
        await db
          .delete(totpAuthenticators)
          .where(and(eq(totpAuthenticators.userId, userId), isNotNull(totpAuthenticators.confirmedAt)))
          .returning({ id: totpAuthenticators.id })
      ).length > 0,
    { factor: 'totp', action: 'removed' },
  );
}

export async function removePasskey(userId: string, passkeyId: string): Promise<FactorRemoval> {
  const db = await getDb();
  const [key] = (await listPasskeys(userId)).filter((row) => row.id === passkeyId);
  if (!key) return { ok: false, reason: 'not_found' };
  return removeFactor(
    userId,
    async () =>
      (
        await db
          .delete(passkeys)
          .where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId)))
          .returning({ id: passkeys.id })
      ).length > 0,
    { factor: 'passkey', action: 'removed', name: key.name },
  );
}
