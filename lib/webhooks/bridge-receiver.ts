import 'server-only';
import { BRIDGE_SIGNATURE, BRIDGE_WEBHOOK_TYPES } from '@guidepost/provider-contracts/bridge';
import { bridgeWebhookEnvelopeSchema, parseBridgeWebhook } from '@/lib/bridge/webhook-events';
import { verifyBridgeSignature } from '@/lib/bridge/webhook-signature';
import { getEnv } from '@/lib/env';
import { bodyProblemResponse, isBodyReadError, readBodyCapped } from '@/lib/http/read-body';
import { logger } from '@/lib/log';
import { dedupeKey, storeEvent } from './queue';

// Bridge signs without a timestamp, so an old event could be replayed: refuse events older than this.
const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;
// A clock a little ahead is tolerated; an event further in the future is not a real one.
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
// Bridge's events are small; anything larger is not one of them.
export const MAX_BODY_BYTES = 64 * 1024;
// Bridge's dashboard "Send a test" event: acknowledged, never stored or acted on.
const TEST_EVENT = BRIDGE_WEBHOOK_TYPES.test;

/** Runs the stored event's work after the answer has gone out (the worker picks it up too if this is lost). */
type Kick = () => void;

const json = (status: number, body: Record<string, unknown>) => Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });

/**
 * Raw body (capped) first, constant-time signature check, then schema and time window, then store once
 * (de-duplicated on the event's content), answer, and let the worker do the work.
 */
export async function receiveBridgeWebhook(request: Request, kick: Kick, now = Date.now()): Promise<Response> {
  let bytes: Uint8Array;
  try {
    bytes = await readBodyCapped(request, { maxBytes: MAX_BODY_BYTES });
  } catch (error) {
    if (!isBodyReadError(error)) throw error;
    logger().warn({ event: 'webhook.bridge.body_refused', problem: error.problem }, 'Bridge webhook refused: body too large or incomplete');
    return bodyProblemResponse(error.problem, 'any Bridge event (64 KiB)');
  }
  const raw = new TextDecoder().decode(bytes);

  if (!verifyBridgeSignature(raw, request.headers.get(BRIDGE_SIGNATURE.header), getEnv().bridge.webhookSecrets)) {
    logger().warn({ event: 'webhook.bridge.bad_signature' }, 'Bridge webhook refused: bad or missing signature');
    return json(401, { error: 'invalid_signature', message: 'The BridgeApi-Signature header is missing or does not match the body.' });
  }
  const parsed = parseBridgeWebhook(raw);
  if (!parsed.ok) return json(400, { error: 'invalid_body', message: parsed.reason });
  const { event } = parsed;
  const envelope = bridgeWebhookEnvelopeSchema.parse(JSON.parse(raw));
  if (envelope.type === TEST_EVENT) {
    logger().info({ event: 'webhook.bridge.test_event' }, 'Bridge test event acknowledged');
    return json(200, { status: 'test_acknowledged' });
  }
  if (now - event.timestamp > REPLAY_WINDOW_MS) return json(400, { error: 'stale_event', message: 'The event is older than 24 hours.' });
  if (event.timestamp - now > FUTURE_TOLERANCE_MS) {
    return json(400, { error: 'future_event', message: 'The event is dated more than 5 minutes in the future.' });
  }

  // Events we do not act on (Bridge's item and account events) are stored as done: nothing to claim or kick.
  const needsWork = event.type !== 'other';
  const outcome = await storeEvent(dedupeKey('bridge', envelope), {
    provider: 'bridge',
    type: event.type === 'other' ? event.bridgeType : event.type,
    payload: envelope,
    eventTimestamp: new Date(event.timestamp),
    needsWork,
  });
  if (outcome.stored === 'duplicate') return json(200, { status: 'duplicate' });
  if (needsWork) kick();
  return json(200, { status: outcome.stored === 'new' ? 'accepted' : 'requeued' });
}
