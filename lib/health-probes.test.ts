import { createBridgeSandbox } from '@guidepost/sandbox/bridge';
import { createFinqwareSandbox } from '@guidepost/sandbox/finqware';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envSetter } from '@/test/env';
import { serveHandler } from '@/test/serve';
import { providerProbes } from './health-probes';

// The probes against the simulators served over real HTTP, as a live provider would be.

const configure = envSetter();
const BRIDGE = { clientId: 'probe-bridge-id', clientSecret: 'probe-bridge-secret-0123456789' };
const FINQWARE = { clientId: 'probe-fq-id', clientAppKey: 'probe-fq-app-key', clientSecret: 'probe-fq-secret-0123456789' };

let bridge: Awaited<ReturnType<typeof serveHandler>>;
let finqware: Awaited<ReturnType<typeof serveHandler>>;

beforeAll(async () => {
  const bridgeSandbox = createBridgeSandbox({ ...BRIDGE, siteOrigin: 'http://portal.test' });
  const finqwareSandbox = createFinqwareSandbox(FINQWARE);
  bridge = await serveHandler((request) => bridgeSandbox.handle(request));
  finqware = await serveHandler((request) => finqwareSandbox.handle(request));
});

afterAll(async () => {
  await bridge.close();
  await finqware.close();
});

describe('provider probes', () => {
  it('a provider that answers and takes our credentials is ok', async () => {
    configure({
      BRIDGE_API_URL: `${bridge.url}/v3`,
      BRIDGE_CLIENT_ID: BRIDGE.clientId,
      BRIDGE_CLIENT_SECRET: BRIDGE.clientSecret,
      FINQWARE_API_URL: finqware.url,
      FINQWARE_CLIENT_ID: FINQWARE.clientId,
      FINQWARE_CLIENT_APP_KEY: FINQWARE.clientAppKey,
      FINQWARE_CLIENT_SECRET: FINQWARE.clientSecret,
    });
    const probes = providerProbes();
    expect(await probes.bridge(5_000)).toEqual({ ok: true });
    expect(await probes.finqware(5_000)).toEqual({ ok: true });
  });

  it('refused credentials are credentials_refused, for each provider', async () => {
    configure({
      BRIDGE_API_URL: bridge.url,
      BRIDGE_CLIENT_ID: BRIDGE.clientId,
      BRIDGE_CLIENT_SECRET: 'not-the-bridge-secret-0123456789',
      FINQWARE_API_URL: finqware.url,
      FINQWARE_CLIENT_ID: FINQWARE.clientId,
      FINQWARE_CLIENT_APP_KEY: FINQWARE.clientAppKey,
      FINQWARE_CLIENT_SECRET: 'not-the-finqware-secret-0123456789',
    });
    const probes = providerProbes();
    expect(await probes.bridge(5_000)).toEqual({ ok: false, reason: 'credentials_refused' });
    expect(await probes.finqware(5_000)).toEqual({ ok: false, reason: 'credentials_refused' });
  });

  it('a provider that does not answer is unavailable', async () => {
    // Port 9 (discard): nothing listens there.
    configure({ BRIDGE_API_URL: 'http://127.0.0.1:9', FINQWARE_API_URL: 'http://127.0.0.1:9' });
    const probes = providerProbes();
    expect(await probes.bridge(2_000)).toEqual({ ok: false, reason: 'unavailable' });
    expect(await probes.finqware(2_000)).toEqual({ ok: false, reason: 'unavailable' });
  });
});
