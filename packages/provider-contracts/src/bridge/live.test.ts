import { describe } from 'vitest';
import { bridgeContractSuite } from './contract-suite';

// The Bridge contract against a real Bridge application, when one is configured. It creates users named
// `guidepost-contract-…` and deletes them at the end. The guidance endpoint is partner-only and checks
// the caller's IP against the app's allow-list: run it from an allowed address.
const baseUrl = process.env.BRIDGE_CONTRACT_BASE_URL;
const clientId = process.env.BRIDGE_CONTRACT_CLIENT_ID;
const clientSecret = process.env.BRIDGE_CONTRACT_CLIENT_SECRET;
const configured = Boolean(baseUrl && clientId && clientSecret);
// A real Bridge answers within seconds; one that does not should fail the check, not hang the run.
const CALL_TIMEOUT_MS = 15_000;

if (!configured) {
  console.info(
    'Bridge live contract skipped: set BRIDGE_CONTRACT_BASE_URL (e.g. https://api.bridgeapi.io/v3), BRIDGE_CONTRACT_CLIENT_ID and BRIDGE_CONTRACT_CLIENT_SECRET to run it against a real Bridge.',
  );
}

describe.skipIf(!configured)('a real Bridge obeys the Bridge contract', () => {
  bridgeContractSuite({
    baseUrl: baseUrl ?? '',
    clientId: clientId ?? '',
    clientSecret: clientSecret ?? '',
    ...(process.env.BRIDGE_CONTRACT_VERSION ? { version: process.env.BRIDGE_CONTRACT_VERSION } : {}),
    fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) }),
  });
});
