import { createHmac } from 'node:crypto';
import { BRIDGE_SIGNATURE, BRIDGE_WEBHOOK_TYPES, bridgeWebhookBody, formatBridgeSignature } from '@guidepost/provider-contracts/bridge';
import { silentLogger, type SandboxLogger } from '../kit/logger';

const WEBHOOK_TIMEOUT_MS = 5_000;

/**
 * The `BridgeApi-Signature` value for a raw body in the contract's format: one `v1=<HMAC-SHA256, hex
 * upper case>` per secret, comma-separated, the way Bridge signs while a secret is being rotated.
 */
export function signBridgeWebhook(rawBody: string, secrets: readonly string[]): string {
  return formatBridgeSignature(
    secrets.map((secret) => createHmac(BRIDGE_SIGNATURE.algorithm, secret).update(rawBody, 'utf8').digest(BRIDGE_SIGNATURE.encoding)),
  );
}

export interface GuidanceReadyEvent {
  userUuid: string;
  companyIdentificationNumber: string;
}

export interface WebhookTarget {
  /** The portal's webhook endpoint. */
  url: string;
  secrets: readonly string[];
  /** Epoch ms for the body's timestamp (the sandbox's clock, offset included). */
  now: () => number;
  timeoutMs?: number;
  /** Where the outcome is logged; silent by default. */
  logger?: SandboxLogger;
}

/** `status` is the portal's HTTP status, null when no answer came (then `error` says why). */
export interface WebhookDelivery {
  /** Bridge counts a delivery as done only on a 200; anything else it retries. */
  delivered: boolean;
  status: number | null;
  error?: 'timeout' | 'unreachable';
}

/** The exact body Bridge sends for `guidance.health.ready`, keys in its documented order. */
export function guidanceReadyBody(event: GuidanceReadyEvent, timestamp: number): string {
  return bridgeWebhookBody(
    BRIDGE_WEBHOOK_TYPES.guidanceReady,
    { company_identification_number: event.companyIdentificationNumber, user_id: event.userUuid },
    timestamp,
  );
}

/** Posts a signed `guidance.health.ready` event to the portal, once (no retries), within 5 s. */
export async function sendGuidanceReadyWebhook(event: GuidanceReadyEvent, target: WebhookTarget): Promise<WebhookDelivery> {
  const rawBody = guidanceReadyBody(event, target.now());
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Bridge-Sandbox-Webhooks' };
  if (target.secrets.length > 0) headers[BRIDGE_SIGNATURE.header] = signBridgeWebhook(rawBody, target.secrets);
  let delivery: WebhookDelivery;
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers,
      body: rawBody,
      redirect: 'manual',
      signal: AbortSignal.timeout(target.timeoutMs ?? WEBHOOK_TIMEOUT_MS),
    });
    // The answer's body is of no interest; dropping it frees the connection.
    await response.body?.cancel().catch(() => undefined);
    delivery = { delivered: response.status === 200, status: response.status };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    delivery = { delivered: false, status: null, error: timedOut ? 'timeout' : 'unreachable' };
  }
  // Type and outcome only: the body names a user and a company.
  (target.logger ?? silentLogger).info(
    { provider: 'bridge', webhook: BRIDGE_WEBHOOK_TYPES.guidanceReady, status: delivery.status, error: delivery.error },
    'bridge sandbox webhook sent',
  );
  return delivery;
}
