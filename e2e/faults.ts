import { createHmac } from 'node:crypto';
import type { Browser, BrowserContext } from '@playwright/test';
import { visitorIp, watchCsp } from './fixtures';
import { BRIDGE_HEADERS, FINQWARE_HEADERS } from './sandbox';
import type { TestServer } from './server';

// Fault injection on a server of the spec's own (e2e/server.ts): the simulators' scripted faults and
// knobs, signed webhooks, and browser contexts pointed at that server.

export interface Fault {
  operation: string;
  action: 'error' | 'drop';
  times?: number;
  /** The Finqware error code an 'error' answers with (e.g. inactive_credentials); the operation's usual one without. */
  code?: string;
}

export const WEBHOOK_SECRET = 'sandbox-bridge-webhook-secret';

async function control(server: TestServer, provider: 'bridge' | 'finqware', path: string, body?: unknown): Promise<unknown> {
  const headers = { ...(provider === 'bridge' ? BRIDGE_HEADERS : FINQWARE_HEADERS), 'Content-Type': 'application/json' };
  const response = await fetch(`${server.baseURL}/sandbox/${provider}/_control/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${provider} ${path} answered ${response.status}: ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

export const bridgeFaults = (server: TestServer, faults: Fault[]) => control(server, 'bridge', 'faults', { faults });
export const finqwareFaults = (server: TestServer, faults: Fault[]) => control(server, 'finqware', 'faults', { faults });
export const bridgeKnobs = (server: TestServer, knobs: Record<string, number>) => control(server, 'bridge', 'knobs', knobs);
export const finqwareKnobs = (server: TestServer, knobs: Record<string, number>) => control(server, 'finqware', 'knobs', knobs);

/** Makes transactions arrive at the Finqware sandbox's bank for one user (stored now, as the next incremental read sees them). */
export const finqwareArrivals = (server: TestServer, body: { tenant_user_id: string; account_id?: string; count?: number; status?: string }) =>
  control(server, 'finqware', 'transactions', body);

export async function issuedGuidancePasswords(server: TestServer): Promise<string[]> {
  return ((await control(server, 'bridge', 'issued-passwords')) as { passwords: string[] }).passwords;
}

export async function finqwareConsents(server: TestServer): Promise<Array<{ tenant_user_id: string; skill: string; status: string }>> {
  return ((await control(server, 'finqware', 'consents')) as { consents: Array<{ tenant_user_id: string; skill: string; status: string }> }).consents;
}

/** The Bridge users the simulator holds (its own API, with the app's credentials). */
export async function bridgeUsers(server: TestServer): Promise<Array<{ uuid: string; external_user_id: string | null }>> {
  const response = await fetch(`${server.baseURL}/sandbox/bridge/v3/aggregation/users`, { headers: { ...BRIDGE_HEADERS, 'Bridge-Version': '2025-01-15' } });
  if (!response.ok) throw new Error(`users answered ${response.status}`);
  return ((await response.json()) as { resources: Array<{ uuid: string; external_user_id: string | null }> }).resources;
}

/** Posts a Bridge webhook signed with the sandbox's secret, as Bridge would. */
export async function signedWebhook(
  server: Pick<TestServer, 'baseURL'>,
  event: { type: string; content: Record<string, unknown>; timestamp?: number },
): Promise<Response> {
  const body = JSON.stringify({ content: event.content, timestamp: event.timestamp ?? Date.now(), type: event.type });
  const signature = `v1=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex').toUpperCase()}`;
  return fetch(`${server.baseURL}/api/webhooks/bridge`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'BridgeApi-Signature': signature },
    body,
  });
}

/** A browser context on the spec's own server, as a distinct visitor. */
export async function deviceOn(browser: Browser, server: TestServer): Promise<BrowserContext> {
  return watchCsp(await browser.newContext({ baseURL: server.baseURL, extraHTTPHeaders: { 'X-Forwarded-For': visitorIp() } }));
}
