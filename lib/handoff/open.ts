import 'server-only';
import { eq } from 'drizzle-orm';
import { createHandoffSession } from '@/lib/auth/sessions';
import { getDb } from '@/lib/db/client';
import { users } from '@/lib/db/schema';
import { logger } from '@/lib/log';
import { rememberSecret } from '@/lib/secrets/known';
import { consumeHandoff } from './store';
import { isHandoffToken } from './token';

export interface OpenedHandoff {
  userId: string;
  email: string;
  sessionId: string;
}

/**
 * The phone's side of a hand-off link (next-auth's 'handoff' provider, lib/auth/config.ts): takes the link
 * and opens a session limited to its step, in one transaction, so a link is never taken without its
 * session nor a session opened twice. Anything wrong with the link: undefined, and nobody is logged in.
 */
export async function openHandoff(token: unknown, userAgent: string | null, now = new Date()): Promise<OpenedHandoff | undefined> {
  if (!isHandoffToken(token)) return undefined;
  const db = await getDb();
  const opened = await db.transaction(async (tx) => {
    const handoff = await consumeHandoff(tx, token, now);
    if (!handoff) return undefined;
    const session = await createHandoffSession(tx, { userId: handoff.userId, handoffId: handoff.id, userAgent, now });
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, handoff.userId));
    return { userId: handoff.userId, email: user!.email, sessionId: session.id, handoffId: handoff.id, onboardingId: handoff.onboardingId };
  });
  if (!opened) {
    logger().info({ event: 'handoff.refused' }, 'hand-off link refused: used, expired, revoked or unknown');
    return undefined;
  }
  // A real link: from here on the logger censors it wherever it could appear (an unknown one is not
  // remembered, or anyone could fill the registry with them).
  rememberSecret(token);
  logger().info(
    { event: 'handoff.opened', userId: opened.userId, onboardingId: opened.onboardingId, handoffId: opened.handoffId },
    'hand-off link opened on a phone',
  );
  return { userId: opened.userId, email: opened.email, sessionId: opened.sessionId };
}
