import 'server-only';
import { BRIDGE_ENDPOINTS, bridgePath, bridgeUsersListSchema } from '@guidepost/provider-contracts/bridge';
import { PATHS } from '@guidepost/provider-contracts/finqware';
import { z } from 'zod';
import { isBridgeError } from '@/lib/bridge/errors';
import { createBridgeHttp } from '@/lib/bridge/http';
import { getEnv } from '@/lib/env';
import { isFinqwareError } from '@/lib/finqware/errors';
import { createFinqwareHttp } from '@/lib/finqware/http';
import type { ProbeOutcome, ProviderProbe } from '@/lib/health';
import type { ProviderName } from '@/lib/http/provider-client';

// One cheap, side-effect-free question per live provider, through the adapters' own HTTP layer (same
// base URL, credentials, signing and log line as real calls), asked once without retries.

/** Bridge: list at most one user with the app's credentials [doc: GET /v3/aggregation/users]. */
async function probeBridge(timeoutMs: number): Promise<ProbeOutcome> {
  const { bridge } = getEnv();
  const http = createBridgeHttp({ ...bridge, timeoutMs, retries: 0 });
  try {
    await http.request(BRIDGE_ENDPOINTS.listUsers.method, `${bridgePath(BRIDGE_ENDPOINTS.listUsers)}?limit=1`, {
      schema: bridgeUsersListSchema,
      idempotent: true,
    });
    return { ok: true };
  } catch (error) {
    if (isBridgeError(error, 'unauthorized')) return { ok: false, reason: 'credentials_refused' };
    // Documented for an address missing from the app's IP allow-list.
    if (isBridgeError(error, 'forbidden')) return { ok: false, reason: 'forbidden' };
    if (isBridgeError(error, 'timeout')) return { ok: false, reason: 'timeout' };
    return { ok: false, reason: 'unavailable' };
  }
}

// Finqware codes that mean our app's own keys were refused [doc: the error catalogue].
const APP_KEY_CODES = new Set([
  'invalid_api_keys',
  'unauthorized_tenant',
  'invalid_client_id',
  'invalid_client_secret',
  'invalid_tenant_keys',
  'invalid_client_app_key',
]);

/**
 * Finqware: ask about a consent that does not exist [doc: POST consents/get]. An error about the consent
 * (its id or token) means Finqware answered and took our app keys; an error about the keys, a 5xx or
 * no answer means it is not usable.
 */
async function probeFinqware(timeoutMs: number): Promise<ProbeOutcome> {
  const { finqware } = getEnv();
  const http = createFinqwareHttp({ apiUrl: finqware.apiUrl, signing: finqware.signing, timeoutMs, retries: 0 });
  const body = {
    client_id: finqware.clientId,
    client_secret: finqware.clientSecret,
    credentials_id: 'guidepost-readiness-probe',
    access_token: 'guidepost-readiness-probe',
  };
  try {
    await http.post(PATHS.consentsGet, body, { schema: z.unknown(), idempotent: true });
    return { ok: true };
  } catch (error) {
    if (!isFinqwareError(error)) return { ok: false, reason: 'unavailable' };
    if (error.finqwareCode !== undefined && APP_KEY_CODES.has(error.finqwareCode)) return { ok: false, reason: 'credentials_refused' };
    if (error.code === 'timeout') return { ok: false, reason: 'timeout' };
    if (['unavailable', 'network', 'invalid_response', 'unknown', 'rate_limited'].includes(error.code)) return { ok: false, reason: 'unavailable' };
    return { ok: true };
  }
}

export function providerProbes(): Record<ProviderName, ProviderProbe> {
  return { bridge: probeBridge, finqware: probeFinqware };
}
