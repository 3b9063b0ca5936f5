import 'server-only';
import {
  BRIDGE_WEBHOOK_TYPES,
  bridgeGuidanceReadyContentSchema,
  bridgeUserDeletedContentSchema,
  bridgeWebhookEnvelopeSchema,
} from '@guidepost/provider-contracts/bridge';

// Every Bridge webhook is { content: {...}, timestamp: <epoch ms>, type: "<name>" }: the contract's envelope.
export { bridgeWebhookEnvelopeSchema };

export type BridgeWebhookEvent =
  | { type: typeof BRIDGE_WEBHOOK_TYPES.guidanceReady; timestamp: number; bridgeUserUuid: string; companyIdentificationNumber: string }
  | { type: typeof BRIDGE_WEBHOOK_TYPES.userDeleted; timestamp: number; bridgeUserUuid: string }
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
    case BRIDGE_WEBHOOK_TYPES.guidanceReady: {
      // This event alone names the user `user_id`; the others say `user_uuid`.
      const parsed = bridgeGuidanceReadyContentSchema.safeParse(content);
      if (!parsed.success) return { ok: false, reason: 'A guidance.health.ready event needs a user_id and a 9-digit company_identification_number.' };
      return {
        ok: true,
        event: { type, timestamp, bridgeUserUuid: parsed.data.user_id.toLowerCase(), companyIdentificationNumber: parsed.data.company_identification_number },
      };
    }
    case BRIDGE_WEBHOOK_TYPES.userDeleted: {
      const parsed = bridgeUserDeletedContentSchema.safeParse(content);
      if (!parsed.success) return { ok: false, reason: 'A user.deleted event needs a user_uuid.' };
      return { ok: true, event: { type, timestamp, bridgeUserUuid: parsed.data.user_uuid.toLowerCase() } };
    }
    default:
      // bridgeType is Bridge's event name, kept for logs only when it looks like one.
      return { ok: true, event: { type: 'other', timestamp, bridgeType: /^[A-Za-z0-9_.-]{1,64}$/.test(type) ? type : 'unrecognised' } };
  }
}
