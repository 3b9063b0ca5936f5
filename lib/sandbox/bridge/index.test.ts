import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_DEFAULTS } from '@/lib/env';
import { bridgeSandbox } from './index';

const cache = globalThis as unknown as { __guidepostEnv?: unknown; __guidepostBridgeSandbox?: unknown };
const saved = { ...process.env };

beforeEach(() => {
  for (const key of ['BRIDGE_API_URL', 'BRIDGE_CLIENT_ID', 'BRIDGE_CLIENT_SECRET']) delete process.env[key];
  // Configured secrets, so getEnv() does not generate development ones under .data/.
  process.env.AUTH_SECRET = 'bridge-test-auth-secret-0123456789abcdef';
  process.env.ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');
  delete cache.__guidepostEnv;
});

afterEach(() => {
  process.env = { ...saved };
  delete cache.__guidepostEnv;
  delete cache.__guidepostBridgeSandbox;
});

describe('bridgeSandbox()', () => {
  it('is one instance per process, configured from the environment', async () => {
    const first = bridgeSandbox();
    expect(bridgeSandbox()).toBe(first);
    const response = await first.handle(
      new Request('http://sandbox.test/v3/aggregation/users', {
        method: 'POST',
        headers: { 'Client-Id': SANDBOX_DEFAULTS.BRIDGE_CLIENT_ID, 'Client-Secret': SANDBOX_DEFAULTS.BRIDGE_CLIENT_SECRET, 'Bridge-Version': '2025-01-15' },
      }),
    );
    expect(response.status).toBe(201);
    // The user is visible through the next call, since both share one instance.
    const list = await bridgeSandbox().handle(
      new Request('http://sandbox.test/v3/aggregation/users', {
        headers: { 'Client-Id': SANDBOX_DEFAULTS.BRIDGE_CLIENT_ID, 'Client-Secret': SANDBOX_DEFAULTS.BRIDGE_CLIENT_SECRET, 'Bridge-Version': '2025-01-15' },
      }),
    );
    expect((await list.json()).resources).toHaveLength(1);
  });
});
