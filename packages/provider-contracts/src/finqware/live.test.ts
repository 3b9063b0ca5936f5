import { describe, it } from 'vitest';
import { finqwareContractSuite, type FinqwareContractStep } from './contract-suite';

// The Finqware contract against a real Finqware, when one is configured (never in CI):
//
//   FINQWARE_CONTRACT_BASE_URL         e.g. https://api.finqware.com
//   FINQWARE_CONTRACT_CLIENT_ID, FINQWARE_CONTRACT_CLIENT_APP_KEY, FINQWARE_CONTRACT_CLIENT_SECRET
//   FINQWARE_CONTRACT_SKILL            a skill the tenant registered, e.g. xyz_aisp_sbx_#1.0
//   FINQWARE_CONTRACT_STEPS            optional: JSON [{ "step": …, "data": {…} }, …] completing a session of
//                                      that skill with no upload nor bank redirect (a sandbox skill)
//   FINQWARE_CONTRACT_ACCOUNT_DATA     optional: "true" when that skill's consent reaches accounts and balances
//   FINQWARE_CONTRACT_SIGNING_KEY, FINQWARE_CONTRACT_SIGNING_EMAIL, FINQWARE_CONTRACT_SIGNING_KEY_ID
//                                      optional: the service account that signs /v1s calls (PEM, \n allowed)
//
// Run with `npm run test:unit -- packages/provider-contracts/src/finqware/live.test.ts`. It opens sessions
// and creates and deletes consents under the tenant given: use a sandbox tenant.

const REQUIRED = [
  'FINQWARE_CONTRACT_BASE_URL',
  'FINQWARE_CONTRACT_CLIENT_ID',
  'FINQWARE_CONTRACT_CLIENT_APP_KEY',
  'FINQWARE_CONTRACT_CLIENT_SECRET',
  'FINQWARE_CONTRACT_SKILL',
] as const;
const SIGNING = ['FINQWARE_CONTRACT_SIGNING_KEY', 'FINQWARE_CONTRACT_SIGNING_EMAIL', 'FINQWARE_CONTRACT_SIGNING_KEY_ID'] as const;

const env = (name: string): string | undefined => (process.env[name]?.trim() ? process.env[name] : undefined);

function steps(): FinqwareContractStep[] | undefined {
  const raw = env('FINQWARE_CONTRACT_STEPS');
  if (raw === undefined) return undefined;
  const value: unknown = JSON.parse(raw);
  const valid =
    Array.isArray(value) &&
    value.every(
      (item: unknown) =>
        typeof item === 'object' &&
        item !== null &&
        typeof (item as FinqwareContractStep).step === 'string' &&
        typeof (item as FinqwareContractStep).data === 'object',
    );
  if (!valid) throw new Error('FINQWARE_CONTRACT_STEPS must be a JSON array of { "step": "…", "data": { … } }');
  return value as FinqwareContractStep[];
}

const missing = REQUIRED.filter((name) => env(name) === undefined);
const signingGiven = SIGNING.filter((name) => env(name) !== undefined);

if (missing.length > 0) {
  describe(`Finqware contract against a real Finqware — skipped: ${missing.join(', ')} not set`, () => {
    it.skip('runs only when a real Finqware tenant is configured (see the top of live.test.ts)', () => undefined);
  });
} else if (signingGiven.length > 0 && signingGiven.length < SIGNING.length) {
  describe('Finqware contract against a real Finqware', () => {
    it('needs all of the signing variables or none', () => {
      throw new Error(`Set ${SIGNING.filter((name) => !signingGiven.includes(name)).join(', ')} too, or none of ${SIGNING.join(', ')}.`);
    });
  });
} else {
  finqwareContractSuite({
    name: `a real Finqware at ${new URL(env('FINQWARE_CONTRACT_BASE_URL')!).origin}`,
    baseUrl: env('FINQWARE_CONTRACT_BASE_URL')!,
    // A real network: every request goes out as built, redirects refused (they would carry the secret elsewhere).
    fetch: (request) => fetch(request, { redirect: 'manual', signal: AbortSignal.timeout(20_000) }),
    clientId: env('FINQWARE_CONTRACT_CLIENT_ID')!,
    clientAppKey: env('FINQWARE_CONTRACT_CLIENT_APP_KEY')!,
    clientSecret: env('FINQWARE_CONTRACT_CLIENT_SECRET')!,
    skill: { id: env('FINQWARE_CONTRACT_SKILL')!, steps: steps(), accountData: env('FINQWARE_CONTRACT_ACCOUNT_DATA') === 'true' },
    signing:
      signingGiven.length === SIGNING.length
        ? {
            privateKeyPem: env('FINQWARE_CONTRACT_SIGNING_KEY')!.replace(/\\n/g, '\n'),
            email: env('FINQWARE_CONTRACT_SIGNING_EMAIL')!,
            keyId: env('FINQWARE_CONTRACT_SIGNING_KEY_ID')!,
          }
        : undefined,
  });
}
