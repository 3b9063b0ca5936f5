import 'server-only';
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { bridgeClient } from '@/lib/bridge/client';
import { parseBridgeWebhook, type BridgeWebhookEvent } from '@/lib/bridge/webhook-events';
import { verifyBridgeSignature } from '@/lib/bridge/webhook-signature';
import { getDb } from '@/lib/db/client';
import { notifications, webhookEvents } from '@/lib/db/schema';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/log';

// Bridge signs without a timestamp, so an old event could be replayed: refuse events older than this.
export const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;
// Bridge's events are small; anything larger is not one of them.
const MAX_BODY_BYTES = 64 * 1024;

type Defer = (work: () => Promise<void>) => void;

const json = (status: number, body: Record<string, unknown>) => Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });

/**
 * Raw body first, constant-time signature check, then schema, then de-duplication, then the work,
 * deferred so Bridge gets its 200 without waiting for it.
 */
export async function receiveBridgeWebhook(request: Request, defer: Defer, now = Date.now()): Promise<Response> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) return json(413, { error: 'payload_too_large', message: 'The body is larger than any Bridge event.' });
  const raw = await request.text();
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) return json(413, { error: 'payload_too_large', message: 'The body is larger than any Bridge event.' });

  if (!verifyBridgeSignature(raw, request.headers.get('bridgeapi-signature'), getEnv().bridge.webhookSecrets)) {
    logger().warn({ event: 'webhook.bridge.bad_signature' }, 'Bridge webhook refused: bad or missing signature');
    return json(401, { error: 'invalid_signature', message: 'The BridgeApi-Signature header is missing or does not match the body.' });
  }
  const parsed = parseBridgeWebhook(raw);
  if (!parsed.ok) return json(400, { error: 'invalid_body', message: parsed.reason });
  const { event } = parsed;
  if (now - event.timestamp > REPLAY_WINDOW_MS) return json(400, { error: 'stale_event', message: 'The event is older than 24 hours.' });

  const db = await getDb();
  const [stored] = await db
    .insert(webhookEvents)
    .values({
      provider: 'bridge',
      // Bridge sends no event id; a retried delivery carries the very same body.
      dedupeKey: `bridge:${createHash('sha256').update(raw).digest('hex')}`,
      type: event.type === 'other' ? event.bridgeType : event.type,
      payload: JSON.parse(raw) as Record<string, unknown>,
      eventTimestamp: new Date(event.timestamp),
    })
    .onConflictDoNothing()
    .returning({ id: webhookEvents.id });
  if (!stored) return json(200, { status: 'duplicate' });

  defer(() => processBridgeEvent(stored.id, event));
  return json(200, { status: 'accepted' });
}

/** The work an event asks for; runs after the answer. */
export async function processBridgeEvent(eventId: string, event: BridgeWebhookEvent): Promise<void> {
  const db = await getDb();
  try {
    if (event.type === 'guidance.health.ready') {
      const userId = await bridgeClient().findPortalUserByBridgeUuid(event.bridgeUserUuid);
      if (userId) {
        await db.insert(notifications).values({ userId, kind: 'guidance.ready', companyIdentificationNumber: event.companyIdentificationNumber, eventId });
        logger().info({ event: 'webhook.bridge.guidance_ready', userId }, 'guidance-ready notification created');
      } else {
        logger().info({ event: 'webhook.bridge.unknown_user' }, 'guidance-ready event for a user we do not know');
      }
    } else if (event.type === 'user.deleted') {
      await bridgeClient().unlinkBridgeUser(event.bridgeUserUuid);
    }
    await db.update(webhookEvents).set({ processedAt: new Date() }).where(eq(webhookEvents.id, eventId));
  } catch (error) {
    logger().error({ event: 'webhook.bridge.processing_failed', eventId, err: error }, 'Bridge webhook processing failed');
  }
}
