import { describe } from 'vitest';
import { bridgeContractSuite } from '@guidepost/provider-contracts/bridge/contract-suite';
import { createBridgeSandbox } from './index';
import { SITE_PUBLIC_BASE } from './site-paths';
import { SITE_ORIGIN, TEST_CREDENTIALS } from './testing';

// The simulator against the same contract suite a real Bridge runs (provider-contracts/src/bridge/live.test.ts).
// Real clock: the suite checks expires_at against the time it sees.
const sandbox = createBridgeSandbox({ ...TEST_CREDENTIALS, siteOrigin: SITE_ORIGIN });

describe('the Bridge simulator obeys the Bridge contract', () => {
  bridgeContractSuite({
    // The documented form, with /v3: the suite must reach the same paths as with the bare origin.
    baseUrl: 'http://bridge.test/v3',
    ...TEST_CREDENTIALS,
    fetch: (input, init) => sandbox.handle(new Request(input, init)),
    guidanceSite: `${SITE_ORIGIN}${SITE_PUBLIC_BASE}`,
    expireAllTokens: () => sandbox.expireAllTokens(),
  });
});
