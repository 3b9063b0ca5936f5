import { createBridgeSandbox, type BridgeSandbox } from './index';

// Shared by the sandbox's tests: a sandbox on a fake clock and a request builder with valid app headers.

export const TEST_CREDENTIALS = { clientId: 'test-client-id', clientSecret: 'test-client-secret-0123456789' } as const;
export const START = Date.parse('2025-03-01T10:00:00.000Z');

export function testSandbox(): { sandbox: BridgeSandbox; clock: { ms: number } } {
  const clock = { ms: START };
  return { sandbox: createBridgeSandbox({ ...TEST_CREDENTIALS, now: () => clock.ms }), clock };
}

export function bridgeRequest(
  path: string,
  options: { method?: string; body?: unknown; headers?: Record<string, string>; token?: string } = {},
): Request {
  const headers: Record<string, string> = {
    'Client-Id': TEST_CREDENTIALS.clientId,
    'Client-Secret': TEST_CREDENTIALS.clientSecret,
    'Bridge-Version': '2025-01-15',
    accept: 'application/json',
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  return new Request(`http://sandbox.test${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: { ...headers, ...options.headers },
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
}

export async function createUser(sandbox: BridgeSandbox, externalUserId?: string): Promise<{ uuid: string; external_user_id: string | null }> {
  const response = await sandbox.handle(bridgeRequest('/v3/aggregation/users', { body: externalUserId === undefined ? {} : { external_user_id: externalUserId } }));
  if (response.status !== 201) throw new Error(`user creation answered ${response.status}`);
  return (await response.json()) as { uuid: string; external_user_id: string | null };
}

export async function issueToken(sandbox: BridgeSandbox, body: Record<string, unknown>): Promise<Response> {
  return sandbox.handle(bridgeRequest('/v3/aggregation/authorization/token', { body }));
}
