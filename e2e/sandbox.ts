import type { APIRequestContext } from '@playwright/test';

// The sandbox accepts exactly the credentials the app is configured with: the development defaults here.
export const BRIDGE_HEADERS = { 'Client-Id': 'sandbox-bridge-client-id', 'Client-Secret': 'sandbox-bridge-client-secret' };

export async function issuedGuidancePasswords(request: APIRequestContext): Promise<string[]> {
  const response = await request.get('/sandbox/bridge/_control/issued-passwords', { headers: BRIDGE_HEADERS });
  if (!response.ok()) throw new Error(`issued-passwords answered ${response.status()}`);
  return ((await response.json()) as { passwords: string[] }).passwords;
}
