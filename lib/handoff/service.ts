import 'server-only';
import { getEnv } from '@/lib/env';
import { isUploadKind } from '@/lib/onboarding/step-schemas';
import { getOnboarding } from '@/lib/onboarding/views';
import { HANDOFF_SESSION_LIFETIME_MS } from '@/lib/auth/sessions';
import { rememberSecret } from '@/lib/secrets/known';
import { logger } from '@/lib/log';
import { qrCodeDataUrl } from './qr';
import { insertHandoff, latestHandoff, type HandoffTarget } from './store';
import { newHandoffToken } from './token';
import type { HandoffStatus } from './types';

export type { HandoffStatus } from './types';

// "Continue on my phone", the desktop's side: a link for the step the user is at, and what became of it.

export interface IssuedHandoff {
  /** The short link, absolute: the phone has nothing to resolve it against. Shown once, in the one answer that makes it. */
  link: string;
  /** The link as a QR code (an SVG data: URL). */
  qrCode: string;
  expiresAt: Date;
}

export type HandoffRefusal = 'not_found' | 'not_this_step';

/**
 * A new single-use link to the user's current upload step (the previous link for that step stops working),
 * valid HANDOFF_TTL_SECONDS. Refused for another user's onboarding, another step than the current one,
 * a form step, or an onboarding whose Finqware session must be restarted first.
 */
export async function issueHandoff(
  target: HandoffTarget,
  now = new Date(),
): Promise<{ ok: true; handoff: IssuedHandoff } | { ok: false; reason: HandoffRefusal }> {
  const onboarding = await getOnboarding(target.userId, target.onboardingId, now);
  if (!onboarding) return { ok: false, reason: 'not_found' };
  const step = onboarding.steps[target.stepIndex];
  if (onboarding.status !== 'in_progress' || onboarding.nonceExpired || onboarding.current !== target.stepIndex || !step || !isUploadKind(step.kind))
    return { ok: false, reason: 'not_this_step' };
  const { appUrl, handoffTtlSeconds } = getEnv();
  const token = newHandoffToken();
  rememberSecret(token);
  const expiresAt = new Date(now.getTime() + handoffTtlSeconds * 1000);
  const row = await insertHandoff(target, token, expiresAt, now);
  logger().info({ event: 'handoff.issued', userId: target.userId, onboardingId: target.onboardingId, handoffId: row.id }, 'hand-off link made');
  const link = new URL(`/h/${token}`, appUrl).href;
  return { ok: true, handoff: { link, qrCode: await qrCodeDataUrl(link), expiresAt } };
}

/** Where the step's hand-off stands; undefined for an onboarding that is not the user's. */
export async function handoffStatus(target: HandoffTarget, now = new Date()): Promise<HandoffStatus | undefined> {
  const onboarding = await getOnboarding(target.userId, target.onboardingId, now);
  if (!onboarding) return undefined;
  const current = onboarding.status === 'in_progress' && onboarding.current === target.stepIndex;
  if (!current) return { step: 'moved_on', phone: 'none' };
  const latest = await latestHandoff(target);
  if (!latest || latest.revokedAt) return { step: 'current', phone: 'none' };
  if (latest.usedAt) return { step: 'current', phone: now.getTime() - latest.usedAt.getTime() < HANDOFF_SESSION_LIFETIME_MS ? 'connected' : 'none' };
  return { step: 'current', phone: latest.expiresAt.getTime() > now.getTime() ? 'waiting' : 'none' };
}
