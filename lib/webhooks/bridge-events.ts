import 'server-only';
import { bridgeLink, type BridgeLink } from '@/lib/bridge-link/service';
import type { BridgeWebhookEvent } from '@/lib/bridge/webhook-events';
import { getDb } from '@/lib/db/client';
import { publishEvent } from '@/lib/events/process-bus';
import { notifications } from '@/lib/db/schema';
import { logger } from '@/lib/log';
import { emailGuidanceReady } from '@/lib/notifications/guidance-email';

export type BridgeEventDeps = {
  bridge: Pick<BridgeLink, 'findPortalUserByBridgeUuid' | 'lookupBridgeUser' | 'linkBridgeUser' | 'unlinkBridgeUser'>;
};

/** The work a stored Bridge event asks for. Safe to run twice (a crash may repeat it); throws to be retried. */
export async function handleBridgeEvent(eventId: string, event: BridgeWebhookEvent, deps: BridgeEventDeps = { bridge: bridgeLink() }): Promise<void> {
  if (event.type === 'guidance.health.ready') {
    const userId = await portalUserOf(event.bridgeUserUuid, deps);
    if (!userId) {
      // Bridge says the user is gone, or it is not one of ours: nothing to tell anyone.
      logger().info({ event: 'webhook.bridge.unknown_user', eventId }, 'guidance-ready event for a user we do not know; acknowledged');
      return;
    }
    const db = await getDb();
    // One notification per event, however many times this runs; the opted-in email with the first run only.
    const created = await db
      .insert(notifications)
      .values({ userId, kind: 'guidance.ready', companyIdentificationNumber: event.companyIdentificationNumber, eventId })
      .onConflictDoNothing({ target: notifications.eventId })
      .returning({ id: notifications.id });
    // Open tabs first (the row is committed; a repeat tells them again, which costs a read), then the email, which
    // may wait on the mail server.
    await publishEvent({ topic: 'notifications', userId });
    if (created.length > 0) await emailGuidanceReady(userId, event.companyIdentificationNumber);
    logger().info({ event: 'webhook.bridge.guidance_ready', eventId, userId }, 'guidance-ready notification created');
  } else if (event.type === 'user.deleted') {
    await deps.bridge.unlinkBridgeUser(event.bridgeUserUuid);
  }
}

/**
 * The portal user of a Bridge user: by our link, or, when the link was never stored (the answer to
 * our create was lost), by asking Bridge which reference (our user id) it holds, and linking it now.
 */
async function portalUserOf(bridgeUserUuid: string, deps: BridgeEventDeps): Promise<string | undefined> {
  const linked = await deps.bridge.findPortalUserByBridgeUuid(bridgeUserUuid);
  if (linked) return linked;
  const found = await deps.bridge.lookupBridgeUser(bridgeUserUuid);
  if (!found?.externalUserId) return undefined;
  const userId = await deps.bridge.linkBridgeUser(found.externalUserId, found.uuid);
  if (userId) logger().info({ event: 'webhook.bridge.user_linked', userId }, 'Bridge user linked from a webhook');
  return userId;
}
