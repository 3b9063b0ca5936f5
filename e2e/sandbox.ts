import type { APIRequestContext } from '@playwright/test';

// The sandbox accepts exactly the credentials the app is configured with: the development defaults here.
export const BRIDGE_HEADERS = { 'Client-Id': 'sandbox-bridge-client-id', 'Client-Secret': 'sandbox-bridge-client-secret' };

export async function issuedGuidancePasswords(request: APIRequestContext): Promise<string[]> {
  const response = await request.get('/sandbox/bridge/_control/issued-passwords', { headers: BRIDGE_HEADERS });
  if (!response.ok()) throw new Error(`issued-passwords answered ${response.status()}`);
  return ((await response.json()) as { passwords: string[] }).passwords;
}

// The Finqware sandbox's control API takes the tenant credentials in headers.
export const FINQWARE_HEADERS = { 'X-Client-Id': 'sandbox-finqware-client-id', 'X-Client-Secret': 'sandbox-finqware-client-secret' };

export async function finqwareControl<T>(request: APIRequestContext, path: string, body?: unknown): Promise<T> {
  const url = `/sandbox/finqware/_control/${path}`;
  const response =
    body === undefined ? await request.get(url, { headers: FINQWARE_HEADERS }) : await request.post(url, { headers: FINQWARE_HEADERS, data: body });
  if (!response.ok()) throw new Error(`${path} answered ${response.status()}`);
  return (await response.json()) as T;
}
