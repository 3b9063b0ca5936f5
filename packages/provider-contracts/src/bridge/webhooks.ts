import { z } from 'zod';
import { BRIDGE_COMPANY_IDENTIFICATION_NUMBER } from './requests';

// Bridge's webhooks: the envelope every event shares, the events Guidepost reads, and how they are
// signed. Markers as in ./api.ts; sources: seeds/001 (the guidance.health.ready example) and the
// webhook reference summarised in PROVIDERS.md. The product reads and verifies these
// (lib/bridge/webhook-*.ts), the simulator sends them (@guidepost/sandbox/bridge).

/** [doc] Every event: `{ content: {…}, timestamp: <epoch ms>, type: "<name>" }`. */
export const bridgeWebhookEnvelopeSchema = z.object({
  content: z.record(z.string(), z.unknown()),
  timestamp: z.number().int().nonnegative(),
  type: z.string().min(1),
});
export type BridgeWebhookEnvelope = z.infer<typeof bridgeWebhookEnvelopeSchema>;

/** [doc] Event types. Guidepost acts on the first two and acknowledges the others. */
export const BRIDGE_WEBHOOK_TYPES = {
  guidanceReady: 'guidance.health.ready',
  userDeleted: 'user.deleted',
  itemCreated: 'item.created',
  itemRefreshed: 'item.refreshed',
  itemDeleted: 'item.deleted',
  accountCreated: 'item.account.created',
  accountUpdated: 'item.account.updated',
  accountDeleted: 'item.account.deleted',
  /** The dashboard's "Send a test": must be acknowledged with 200, carries nothing to act on. */
  test: 'TEST_EVENT',
} as const;

/** [doc] `guidance.health.ready`: this event alone names the user `user_id`. */
export const bridgeGuidanceReadyContentSchema = z.object({
  user_id: z.guid(),
  company_identification_number: z.string().regex(BRIDGE_COMPANY_IDENTIFICATION_NUMBER),
});

/** [doc] The other events name the user `content.user_uuid`. */
export const bridgeUserDeletedContentSchema = z.object({ user_uuid: z.guid() });

/** The exact body of an event, keys in the documented order: the signature covers these bytes. */
export function bridgeWebhookBody(type: string, content: Record<string, unknown>, timestamp: number): string {
  return JSON.stringify({ content, timestamp, type });
}

/** [doc] seeds/001's guidance.health.ready example, content keys in its order. */
export const BRIDGE_GUIDANCE_READY_EXAMPLE = {
  content: { company_identification_number: '529196313', user_id: 'ecc4eaee-0554-4b4f-8937-3c5b816617f6' },
  timestamp: 1779981250435,
  type: 'guidance.health.ready',
} as const;

/**
 * [doc] The dashboard's test event: its timestamp is in seconds and years old, yet it must get a 200.
 * (The documented example elides the user; any uuid stands for it.)
 */
export const BRIDGE_TEST_EVENT_EXAMPLE = {
  content: { item_id: 1234567890, status: 0, user_uuid: '00000000-0000-4000-8000-000000000000' },
  timestamp: 1611681789,
  type: 'TEST_EVENT',
} as const;

/**
 * [doc] `BridgeApi-Signature`: one or more comma-separated `scheme=value` entries. Only scheme `v1` is
 * valid (others are ignored); its value is the HMAC-SHA256 of the raw request body keyed with the webhook
 * secret, in hex — upper case in every integration seen [seen], so compared case-insensitively (and in
 * constant time, by the verifier). While a secret is rotated, up to two are active (the old one for 24 h)
 * and each signs its own `v1` entry. The signature carries no timestamp.
 */
export const BRIDGE_SIGNATURE = {
  header: 'BridgeApi-Signature',
  scheme: 'v1',
  /** For node:crypto's createHmac. */
  algorithm: 'sha256',
  encoding: 'hex',
  separator: ',',
  maxActiveSecrets: 2,
  previousSecretValidMs: 24 * 60 * 60 * 1000,
} as const;

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** The header value for the given HMAC digests (hex), one `v1` entry each, in upper case as Bridge sends them. */
export function formatBridgeSignature(hexDigests: readonly string[]): string {
  return hexDigests.map((digest) => `${BRIDGE_SIGNATURE.scheme}=${digest.toUpperCase()}`).join(BRIDGE_SIGNATURE.separator);
}

/**
 * The `v1` digests of a header, lower-case hex. Entries of other schemes, and values that are not 64 hex
 * digits (which cannot match), are left out; spaces around entries, names and values are tolerated.
 */
export function bridgeSignatureDigests(header: string): string[] {
  const digests: string[] = [];
  for (const entry of header.split(BRIDGE_SIGNATURE.separator)) {
    const separator = entry.indexOf('=');
    if (separator < 0) continue;
    if (entry.slice(0, separator).trim().toLowerCase() !== BRIDGE_SIGNATURE.scheme) continue;
    const value = entry
      .slice(separator + 1)
      .trim()
      .toLowerCase();
    if (HEX_SHA256.test(value)) digests.push(value);
  }
  return digests;
}

export interface BridgeSignatureCase {
  name: string;
  header: string;
  /** The secrets the receiver holds. */
  secrets: string[];
  valid: boolean;
}

/**
 * The documented signature format as cases a receiver's verifier must decide correctly. `hmac(secret)`
 * is the caller's HMAC-SHA256 of the raw body, in hex: the contract names the algorithm, the caller's
 * platform computes it.
 */
export function bridgeSignatureCases(hmac: (secret: string) => string): BridgeSignatureCase[] {
  const current = 'contract-current-webhook-secret-0001';
  const previous = 'contract-previous-webhook-secret-0002';
  const other = 'contract-unrelated-webhook-secret-0003';
  const upper = (secret: string) => hmac(secret).toUpperCase();
  return [
    { name: 'one v1 entry in upper-case hex, as Bridge sends it', header: `v1=${upper(current)}`, secrets: [current], valid: true },
    { name: 'the same in lower-case hex', header: `v1=${hmac(current).toLowerCase()}`, secrets: [current], valid: true },
    {
      name: 'two v1 entries while a secret is rotated (receiver knows the new one)',
      header: formatBridgeSignature([hmac(previous), hmac(current)]),
      secrets: [current],
      valid: true,
    },
    {
      name: 'two v1 entries (receiver still knows only the old one)',
      header: formatBridgeSignature([hmac(previous), hmac(current)]),
      secrets: [previous],
      valid: true,
    },
    { name: 'an old-secret signature while both secrets are active', header: `v1=${upper(previous)}`, secrets: [current, previous], valid: true },
    { name: 'spaces around entries', header: ` v1=${upper(other)} , v1=${upper(current)} `, secrets: [current], valid: true },
    { name: 'another scheme next to a valid v1 entry', header: `v0=${upper(other)},v1=${upper(current)}`, secrets: [current], valid: true },
    { name: 'a valid HMAC under another scheme only', header: `v0=${upper(current)},v2=${upper(current)}`, secrets: [current], valid: false },
    { name: 'a v1 entry made with another secret', header: `v1=${upper(other)}`, secrets: [current], valid: false },
    { name: 'a signature by a secret no longer held', header: `v1=${upper(previous)}`, secrets: [current], valid: false },
    { name: 'no entry at all', header: '', secrets: [current], valid: false },
    { name: 'a truncated digest', header: `v1=${upper(current).slice(0, 63)}`, secrets: [current], valid: false },
  ];
}
