import 'server-only';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { getDb } from '@/lib/db/client';
import { authSessions, passkeys, type PasskeyRow } from '@/lib/db/schema';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/log';

// Passkeys (WebAuthn) through @simplewebauthn/server. The relying party is the portal's own address (APP_URL): its
// host is the RP ID, its origin the only one accepted. Each ceremony's challenge is kept on the session that asked
// for it, for five minutes, and taken once, so a response cannot be replayed nor used from another session.

const CHALLENGE_LIFETIME_MS = 5 * 60 * 1000;
/** A WebAuthn response is a few hundred bytes of JSON; anything much larger is refused unread. */
const MAX_RESPONSE_LENGTH = 16_384;

function relyingParty() {
  const url = new URL(getEnv().appUrl);
  return { rpID: url.hostname, origin: url.origin };
}

const uuidBytes = (id: string) => new Uint8Array(Buffer.from(id.replace(/-/g, ''), 'hex'));
const transportsOf = (row: Pick<PasskeyRow, 'transports'>) => (row.transports ? row.transports.split(',') : undefined);

async function keepChallenge(sessionId: string, challenge: string, now = new Date()): Promise<void> {
  const db = await getDb();
  await db
    .update(authSessions)
    .set({ webauthnChallenge: challenge, webauthnChallengeExpiresAt: new Date(now.getTime() + CHALLENGE_LIFETIME_MS) })
    .where(eq(authSessions.id, sessionId));
}

/** The session's challenge, if one is live, and gone from the session whatever happens next. */
async function takeChallenge(sessionId: string, now = new Date()): Promise<string | undefined> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ challenge: authSessions.webauthnChallenge, expiresAt: authSessions.webauthnChallengeExpiresAt })
      .from(authSessions)
      .where(eq(authSessions.id, sessionId))
      .for('update');
    if (!row?.challenge) return undefined;
    await tx.update(authSessions).set({ webauthnChallenge: null, webauthnChallengeExpiresAt: null }).where(eq(authSessions.id, sessionId));
    return row.expiresAt && row.expiresAt.getTime() > now.getTime() ? row.challenge : undefined;
  });
}

const credentialShape = z
  .object({ id: z.string().min(1).max(1024), rawId: z.string().max(1024), type: z.literal('public-key'), response: z.object({}).loose() })
  .loose();

/** The browser's response (JSON text from a form field), when it has the shape of one; undefined otherwise. */
function responseOf<T>(text: string): T | undefined {
  if (text.length > MAX_RESPONSE_LENGTH) return undefined;
  try {
    const parsed = credentialShape.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data as T) : undefined;
  } catch {
    return undefined;
  }
}

export async function listPasskeys(userId: string): Promise<PasskeyRow[]> {
  const db = await getDb();
  return db.select().from(passkeys).where(eq(passkeys.userId, userId)).orderBy(passkeys.createdAt);
}

/** Options for the browser to create a passkey for this user (navigator.credentials.create). */
export async function passkeyRegistrationOptions(user: { id: string; email: string }, sessionId: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { rpID } = relyingParty();
  const existing = await listPasskeys(user.id);
  const options = await generateRegistrationOptions({
    rpName: 'Guidepost',
    rpID,
    userName: user.email,
    userID: uuidBytes(user.id),
    attestationType: 'none',
    excludeCredentials: existing.map((row) => ({ id: row.credentialId, transports: transportsOf(row) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await keepChallenge(sessionId, options.challenge);
  return options;
}

export type PasskeyRegistration = { ok: true; passkey: PasskeyRow } | { ok: false; reason: 'invalid' | 'duplicate' };

/** Checks the browser's answer to passkeyRegistrationOptions and keeps the new passkey's public key. */
export async function registerPasskey(user: { id: string }, sessionId: string, responseText: string, name: string): Promise<PasskeyRegistration> {
  const challenge = await takeChallenge(sessionId);
  const response = responseOf<RegistrationResponseJSON>(responseText);
  if (!challenge || !response) return { ok: false, reason: 'invalid' };
  const { rpID, origin } = relyingParty();
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: false,
    });
  } catch (error) {
    logger().info(
      { event: 'passkey.registration_refused', userId: user.id, reason: error instanceof Error ? error.name : 'unknown' },
      'passkey registration refused',
    );
    return { ok: false, reason: 'invalid' };
  }
  if (!verification.verified) return { ok: false, reason: 'invalid' };
  const { credential } = verification.registrationInfo;
  const db = await getDb();
  const [row] = await db
    .insert(passkeys)
    .values({
      userId: user.id,
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports?.join(',') || null,
      name,
    })
    .onConflictDoNothing({ target: passkeys.credentialId })
    .returning();
  return row ? { ok: true, passkey: row } : { ok: false, reason: 'duplicate' };
}

/** Options for the browser to sign in with one of the user's passkeys (navigator.credentials.get). */
export async function passkeyAuthenticationOptions(userId: string, sessionId: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { rpID } = relyingParty();
  const existing = await listPasskeys(userId);
  const options = await generateAuthenticationOptions({
    rpID,
    allowCredentials: existing.map((row) => ({ id: row.credentialId, transports: transportsOf(row) })),
    userVerification: 'preferred',
  });
  await keepChallenge(sessionId, options.challenge);
  return options;
}

/** Whether the browser's answer proves one of the user's passkeys, for the challenge this session was given. */
export async function verifyPasskey(userId: string, sessionId: string, responseText: string): Promise<boolean> {
  const challenge = await takeChallenge(sessionId);
  const response = responseOf<AuthenticationResponseJSON>(responseText);
  if (!challenge || !response) return false;
  const db = await getDb();
  const [row] = await db
    .select()
    .from(passkeys)
    .where(and(eq(passkeys.userId, userId), eq(passkeys.credentialId, response.id)));
  if (!row) return false;
  const { rpID, origin } = relyingParty();
  try {
    const verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: {
        id: row.credentialId,
        publicKey: new Uint8Array(Buffer.from(row.publicKey, 'base64url')),
        counter: row.counter,
        transports: transportsOf(row),
      },
      requireUserVerification: false,
    });
    if (!verification.verified) return false;
    await db.update(passkeys).set({ counter: verification.authenticationInfo.newCounter, lastUsedAt: new Date() }).where(eq(passkeys.id, row.id));
    return true;
  } catch (error) {
    logger().info({ event: 'passkey.refused', userId, reason: error instanceof Error ? error.name : 'unknown' }, 'passkey refused');
    return false;
  }
}
