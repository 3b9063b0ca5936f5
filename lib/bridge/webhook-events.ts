import 'server-only';
import { z } from 'zod';

// Every Bridge webhook: { content: {...}, timestamp: <epoch ms>, type: "<name>" }.
export const bridgeWebhookEnvelopeSchema = z.object({
  content: z.record(z.string(), z.unknown()),
  timestamp: z.number().int().nonnegative(),
  type: z.string().min(1),
});

const guidanceReadyContentSchema = z.object({
  // This event alone names the user `user_id`; the others say `user_uuid`.
  user_id: z.guid(),
  company_identification_number: z.string().regex(/^\d{9}$/),
});

const userDeletedContentSchema = z.object({ user_uuid: z.guid() });

export type BridgeWebhookEvent =
  | { type: 'guidance.health.ready'; timestamp: number; bridgeUserUuid: string; companyIdentificationNumber: string }
  | { type: 'user.deleted'; timestamp: number; bridgeUserUuid: string }
  // Events we do not act on (item.*, TEST_EVENT, ...): acknowledged, nothing else.
  | { type: 'other'; timestamp: number; bridgeType: string };

export type ParsedBridgeWebhook = { ok: true; event: BridgeWebhookEvent } | { ok: false; reason: string };

/** Reads a verified webhook body. Reasons name what is wrong in plain words and never echo the content. */
export function parseBridgeWebhook(raw: string): ParsedBridgeWebhook {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'The body is not valid JSON.' };
  }
  const envelope = bridgeWebhookEnvelopeSchema.safeParse(json);
  if (!envelope.success) return { ok: false, reason: 'The body is not a Bridge webhook (content, timestamp and type are required).' };
  const { content, timestamp, type } = envelope.data;
  switch (type) {
    case 'guidance.health.ready': {
      const parsed = guidanceReadyContentSchema.safeParse(content);
      if (!parsed.success) return { ok: false, reason: 'A guidance.health.ready event needs a user_id and a 9-digit company_identification_number.' };
      return {
        ok: true,
        event: { type, timestamp, bridgeUserUuid: parsed.data.user_id.toLowerCase(), companyIdentificationNumber: parsed.data.company_identification_number },
      };
    }
    case 'user.deleted': {
      const parsed = userDeletedContentSchema.safeParse(content);
      if (!parsed.success) return { ok: false, reason: 'A user.deleted event needs a user_uuid.' };
      return { ok: true, event: { type, timestamp, bridgeUserUuid: parsed.data.user_uuid.toLowerCase() } };
    }
    default:
      // bridgeType is Bridge's event name, kept for logs only when it looks like one.
      return { ok: true, event: { type: 'other', timestamp, bridgeType: /^[A-Za-z0-9_.-]{1,64}$/.test(type) ? type : 'unrecognised' } };
  }
}
