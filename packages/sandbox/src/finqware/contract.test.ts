import { generateKeyPairSync } from 'node:crypto';
import { finqwareContractSuite } from '@guidepost/provider-contracts/finqware/contract-suite';
import { AISP_SKILL } from './catalog';
import { createFinqwareSandbox } from './index';
import { jwksOf, ORIGIN, SIGNING_EMAIL, SIGNING_KEY_ID, START, TEST_CREDENTIALS, VALID_DATA } from './testing';

// The sandbox held to Finqware's contract, the same suite a real Finqware is run against (live.test.ts
// in the contracts package). Signed calls are checked against the account's published key only.

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const clock = { ms: START };
const sandbox = createFinqwareSandbox({
  ...TEST_CREDENTIALS,
  now: () => clock.ms,
  signing: { email: SIGNING_EMAIL, jwks: jwksOf([publicKey, SIGNING_KEY_ID]) },
});

finqwareContractSuite({
  name: 'the sandbox',
  baseUrl: ORIGIN,
  fetch: (request) => sandbox.handle(request),
  ...TEST_CREDENTIALS,
  skill: { id: AISP_SKILL, steps: [{ step: 'consent', data: { ...VALID_DATA.consent } }], accountData: true },
  signing: { email: SIGNING_EMAIL, keyId: SIGNING_KEY_ID, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
  clock: {
    now: () => clock.ms,
    advance: (ms) => {
      clock.ms += ms;
    },
  },
});
