import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { getEnv } from '@/lib/env';
import { knownSecrets } from '@/lib/secrets/known';
import { AISP_SKILL, CARD_SKILL, createFinqwareSandbox, type FinqwareSandbox } from '@guidepost/sandbox/finqware';
import { NONCE_TTL_MS } from '@guidepost/provider-contracts/finqware';
import { createFinqwareClient, finqwareClient, type FinqwareClient, type FinqwareClientConfig, type StepResult } from './client';
import { FinqwareError } from './errors';
import { signingPublicJwk } from './signing';

const KEYS = { clientId: 'tenant-client-id', clientAppKey: 'tenant-app-key', clientSecret: 'tenant-client-secret-do-not-leak' } as const;
const GRANT = { credentialsId: 'cred-1', accessToken: 'access-token-do-not-leak' };

/** A client whose fetch answers from a table by path and records each JSON body it was sent. */
function scripted(answers: Record<string, unknown>): { client: FinqwareClient; bodies: Record<string, unknown> } {
  const bodies: Record<string, unknown> = {};
  const client = createFinqwareClient({
    ...KEYS,
    apiUrl: 'https://finqware.test',
    retries: 0,
    fetch: async (input, init) => {
      const path = new URL(String(input)).pathname;
      bodies[path] = JSON.parse(new TextDecoder().decode(init?.body as Uint8Array));
      return path in answers ? Response.json(answers[path]) : Response.json({ message: 'no such path' }, { status: 404 });
    },
  });
  return { client, bodies };
}

async function failure(promise: Promise<unknown>): Promise<FinqwareError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FinqwareError);
  return error as FinqwareError;
}

describe('finqwareClient()', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('is one client per configuration, calling the configured origin with the configured keys', async () => {
    const { apiUrl, clientId, clientAppKey } = getEnv().finqware;
    const seen: Array<{ url: string; body: unknown }> = [];
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      seen.push({ url: String(input), body: JSON.parse(new TextDecoder().decode(init?.body as Uint8Array)) });
      return Response.json([]);
    });
    expect(finqwareClient()).toBe(finqwareClient());
    await expect(finqwareClient().catalog()).resolves.toEqual([]);
    expect(seen).toEqual([{ url: `${apiUrl}/v1${getEnv().finqware.signing ? 's' : ''}/catalogs/get`, body: { client_id: clientId, client_app_key: clientAppKey } }]);
  });
});

describe('Finqware client mapping', () => {
  it('maps the catalog to our skills, keeping steps of unknown kinds as unknown', async () => {
    const { client, bodies } = scripted({
      '/v1/catalogs/get': [
        { skill: 'xyz_aisp_sbx_#1.0', name: 'Accounts', description: 'Read accounts', steps: [{ step: 'consent', kind: 'consent' }] },
        { skill: 'xyz_loan_sbx_#2.0', name: 'Loan', steps: [{ step: 'product_form', kind: 'product_form' }, { step: 'video', kind: 'video_call' }] },
      ],
    });
    expect(await client.catalog()).toEqual([
      { id: 'xyz_aisp_sbx_#1.0', name: 'Accounts', description: 'Read accounts', steps: [{ name: 'consent', kind: 'consent' }] },
      {
        id: 'xyz_loan_sbx_#2.0',
        name: 'Loan',
        description: '',
        steps: [
          { name: 'product_form', kind: 'product_form' },
          { name: 'video', kind: 'unknown' },
        ],
      },
    ]);
    // The catalog is browser-safe: app key, never the secret.
    expect(bodies['/v1/catalogs/get']).toEqual({ client_id: KEYS.clientId, client_app_key: KEYS.clientAppKey });
  });

  it('maps consents, accounts and balances, with amounts as decimal strings', async () => {
    const { client, bodies } = scripted({
      '/v1/consents/get': { credentials_id: 'cred-1', skill: 'xyz_aisp_sbx_#1.0', status: 'ACTIVE', consent_exp: '2025-06-01T10:00:00Z' },
      '/v1/accounts/get': [{ account_id: 'a1', iban: 'FR7630006000011234567890189', name: 'Current', currency: 'EUR' }],
      '/v1/balances/get': [
        { account_id: 'a1', amount: '1234.50', currency: 'EUR', type: 'closingBooked' },
        { account_id: 'a1', amount: 10.25, currency: 'EUR', type: 'expected' },
      ],
    });
    expect(await client.getConsent(GRANT)).toEqual({ skillId: 'xyz_aisp_sbx_#1.0', status: 'active', expiresAt: new Date('2025-06-01T10:00:00Z') });
    expect(await client.accounts('tenant-user', GRANT)).toEqual([{ accountId: 'a1', iban: 'FR7630006000011234567890189', name: 'Current', currency: 'EUR' }]);
    expect(await client.balances('tenant-user', GRANT)).toEqual([
      { accountId: 'a1', amount: '1234.50', currency: 'EUR', type: 'closingBooked' },
      { accountId: 'a1', amount: '10.25', currency: 'EUR', type: 'expected' },
    ]);
    const grantBody = { client_id: KEYS.clientId, client_secret: KEYS.clientSecret, credentials_id: GRANT.credentialsId, access_token: GRANT.accessToken };
    expect(bodies['/v1/consents/get']).toEqual(grantBody);
    expect(bodies['/v1/accounts/get']).toEqual({ ...grantBody, tenant_user_id: 'tenant-user' });
  });

  it('refuses an answer about another grant', async () => {
    const { client } = scripted({
      '/v1/consents/get': { credentials_id: 'cred-2', skill: 's', status: 'ACTIVE', consent_exp: '2025-06-01T10:00:00Z' },
      '/v1/consents/delete': { credentials_id: 'cred-2', status: 'REVOKED' },
    });
    expect((await failure(client.getConsent(GRANT))).code).toBe('invalid_response');
    expect((await failure(client.revokeConsent(GRANT))).code).toBe('invalid_response');
  });
});

// Integration: the client against the real simulator, over both bases. The sandbox answers exactly what
// the server would get over loopback HTTP.

const SANDBOX_KEYS = { clientId: 'it-client-id', clientAppKey: 'it-client-app-key', clientSecret: 'it-client-secret-0123456789' } as const;
const START = Date.parse('2025-03-01T10:00:00.000Z');
const EMAIL = 'guidepost@tenant.example';
const pem = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
const SIGNING_KEY = pem();
const OTHER_KEY = pem();

// Files whose first bytes are those of real PDF and JPEG files: the sandbox judges uploads by content.
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0x2d, 0xff, 0xd9]);

const CARD_DATA = {
  product_form: { value: '100000', currency: 'EUR', period: '12' },
  personal_data: {
    first_name: 'Ana',
    last_name: 'Popescu',
    date_of_birth: '1990-05-17',
    nationality: 'RO',
    address: { line1: 'Strada Lipscani 12', city: 'Bucharest', postal_code: '030031', country: 'RO' },
  },
  identity_document: { document_type: 'passport' },
  selfie: {},
} as const;

function inProgress(result: StepResult): string {
  if (result.status !== 'in_progress') throw new Error(`expected the session to go on, got ${result.status}`);
  return result.nonce;
}

describe.each([
  { base: '/v1', signed: false },
  { base: '/v1s', signed: true },
])('Finqware client against the sandbox on $base', ({ base, signed }) => {
  let sandbox: FinqwareSandbox;
  let clock: { ms: number };
  let paths: string[];
  let lines: string[];
  let client: FinqwareClient;

  function clientWith(overrides: Partial<FinqwareClientConfig> = {}): FinqwareClient {
    return createFinqwareClient({
      ...SANDBOX_KEYS,
      apiUrl: 'http://127.0.0.1:3000/sandbox/finqware',
      signing: signed ? { privateKeyPem: SIGNING_KEY, email: EMAIL } : undefined,
      // The sandbox judges signatures on the same fake clock.
      now: () => clock.ms,
      sleep: async () => undefined,
      log: {
        debug: (object) => lines.push(JSON.stringify(object)),
        info: (object) => lines.push(JSON.stringify(object)),
      },
      fetch: async (input, init) => {
        const request = new Request(input, init);
        // The sandbox sees Finqware's own path, as the /sandbox/finqware mount hands it over.
        const url = new URL(request.url);
        paths.push(url.pathname.replace('/sandbox/finqware', ''));
        url.pathname = url.pathname.replace('/sandbox/finqware', '');
        return sandbox.handle(new Request(url, { method: request.method, headers: request.headers, body: await request.arrayBuffer(), redirect: 'manual' }));
      },
      ...overrides,
    });
  }

  let jwk: Awaited<ReturnType<typeof signingPublicJwk>>;
  beforeAll(async () => {
    jwk = await signingPublicJwk(SIGNING_KEY);
  });

  beforeEach(() => {
    clock = { ms: START };
    paths = [];
    lines = [];
    sandbox = createFinqwareSandbox({
      ...SANDBOX_KEYS,
      now: () => clock.ms,
      random: () => 0.99,
      // The service account's published key set, matched by kid.
      signing: { email: EMAIL, jwks: { keys: [jwk] } },
    });
    client = clientWith();
  });

  /** A card session with its first step done: the next step is personal_data. */
  async function cardSessionAtPersonalData() {
    const { sessionId, nonce: first } = await client.startSession('portal-user-1', CARD_SKILL);
    const nonce = inProgress(await client.submitStep({ sessionId, skillId: CARD_SKILL, step: 'product_form', nonce: first, data: CARD_DATA.product_form }));
    return { sessionId, nonce, first };
  }

  /** A card session run to the end, documents uploaded; returns its temp_token. */
  async function completeCardSession(): Promise<string> {
    const { sessionId, nonce: afterForm } = await cardSessionAtPersonalData();
    let nonce = inProgress(await client.submitStep({ sessionId, skillId: CARD_SKILL, step: 'personal_data', nonce: afterForm, data: CARD_DATA.personal_data }));
    const identity = await client.submitStep({ sessionId, skillId: CARD_SKILL, step: 'identity_document', nonce, data: CARD_DATA.identity_document });
    nonce = inProgress(
      await client.uploadToStep({ stepId: identity.stepId, skillId: CARD_SKILL, nonce: inProgress(identity), file: { bytes: PDF, filename: 'passport.pdf', contentType: 'application/pdf' } }),
    );
    const selfie = await client.submitStep({ sessionId, skillId: CARD_SKILL, step: 'selfie', nonce, data: CARD_DATA.selfie });
    const done = await client.uploadToStep({ stepId: selfie.stepId, skillId: CARD_SKILL, nonce: inProgress(selfie), file: { bytes: JPEG, filename: 'selfie.jpg', contentType: 'image/jpeg' } });
    if (done.status !== 'completed') throw new Error('the card session did not complete');
    return done.tempToken;
  }

  it('lists the catalog with every step kind known', async () => {
    const skills = await client.catalog();
    const card = skills.find((skill) => skill.id === CARD_SKILL);
    expect(card?.steps).toEqual([
      { name: 'product_form', kind: 'product_form' },
      { name: 'personal_data', kind: 'personal_data' },
      { name: 'identity_document', kind: 'identity_document' },
      { name: 'selfie', kind: 'selfie' },
    ]);
    expect(skills.flatMap((skill) => skill.steps).some((step) => step.kind === 'unknown')).toBe(false);
    expect(paths).toEqual([`${base}/catalogs/get`]);
  });

  it('runs a whole card session with uploads and exchanges its temp_token', async () => {
    const tempToken = await completeCardSession();
    const grant = await client.exchangeTempToken(tempToken);
    // Every secret Finqware handed over is known to the logger, which censors it wherever it appears.
    const issued = sandbox.issuedSecrets();
    for (const value of [...issued.nonces, tempToken, grant.accessToken]) expect(knownSecrets().redact(`seen ${value}`)).toBe('seen [redacted]');
    expect(grant.credentialsId).not.toBe('');
    expect(grant.accessToken).not.toBe('');
    expect(grant.consentExpiresAt.getTime()).toBeGreaterThan(START);
    expect(grant.maxDataRetention.getTime()).toBeGreaterThanOrEqual(grant.consentExpiresAt.getTime());
    expect(sandbox.uploads().map((u) => u.detected_type)).toEqual(['application/pdf', 'image/jpeg']);

    const consent = await client.getConsent(grant);
    expect(consent).toEqual({ skillId: CARD_SKILL, status: 'active', expiresAt: grant.consentExpiresAt });
    await client.revokeConsent(grant);
    await client.revokeConsent(grant); // idempotent
    expect((await client.getConsent(grant)).status).toBe('revoked');

    expect(paths.every((path) => path.startsWith(`${base}/`))).toBe(true);
    expect(paths.filter((path) => path.endsWith('/upload'))).toHaveLength(2);
  });

  it('reads accounts and balances under an account-information consent, and is refused after revocation', async () => {
    const { sessionId, nonce } = await client.startSession('portal-user-2', AISP_SKILL);
    const done = await client.submitStep({ sessionId, skillId: AISP_SKILL, step: 'consent', nonce, data: { accepted: true } });
    if (done.status !== 'completed') throw new Error('the consent session did not complete');
    const grant = await client.exchangeTempToken(done.tempToken);
    const accounts = await client.accounts('portal-user-2', grant);
    expect(accounts.length).toBeGreaterThan(0);
    for (const account of accounts) expect(account).toEqual({ accountId: expect.any(String), iban: expect.stringMatching(/^[A-Z]{2}\d{2}/), name: expect.any(String), currency: expect.stringMatching(/^[A-Z]{3}$/) });
    const balances = await client.balances('portal-user-2', grant);
    expect(balances.map((b) => b.accountId).sort()).toEqual(accounts.map((a) => a.accountId).sort());
    for (const balance of balances) expect(balance.amount).toMatch(/^-?\d+(\.\d+)?$/);

    await client.revokeConsent(grant);
    expect(await failure(client.accounts('portal-user-2', grant))).toMatchObject({ code: 'unauthorized', finqwareCode: 'expired_credentials' });
  });

  it('refuses a reused nonce as nonce_invalid', async () => {
    const { sessionId, first } = await cardSessionAtPersonalData();
    const error = await failure(client.submitStep({ sessionId, skillId: CARD_SKILL, step: 'product_form', nonce: first, data: CARD_DATA.product_form }));
    expect(error).toMatchObject({ code: 'nonce_invalid', status: 401 });
    expect(error.id).toEqual(expect.any(String));
  });

  it('refuses an expired nonce as nonce_expired', async () => {
    const { sessionId, nonce } = await cardSessionAtPersonalData();
    sandbox.setKnobs({ clock_offset_ms: NONCE_TTL_MS });
    const error = await failure(client.submitStep({ sessionId, skillId: CARD_SKILL, step: 'personal_data', nonce, data: CARD_DATA.personal_data }));
    expect(error).toMatchObject({ code: 'nonce_expired', status: 401 });
  });

  it('reads a step’s refusal without a code (the bare error shape) as a nonce problem, so the portal offers a restart', async () => {
    const { sessionId, nonce } = await cardSessionAtPersonalData();
    const error = await failure(client.submitStep({ sessionId, skillId: CARD_SKILL, step: 'personal_data', nonce, data: { ...CARD_DATA.personal_data, date_of_birth: '2020-01-01' } }));
    expect(error).toMatchObject({ code: 'nonce_invalid', status: 400 });
    expect(error.message).not.toContain('2020');
  });

  it('refuses a temp_token used twice as unauthorized', async () => {
    const tempToken = await completeCardSession();
    await client.exchangeTempToken(tempToken);
    expect(await failure(client.exchangeTempToken(tempToken))).toMatchObject({ code: 'unauthorized', finqwareCode: 'invalid_temp_token' });
  });

  it('refuses a wrong client secret as unauthorized', async () => {
    const tempToken = await completeCardSession();
    const wrong = clientWith({ clientSecret: 'not-the-secret' });
    expect(await failure(wrong.exchangeTempToken(tempToken))).toMatchObject({ code: 'unauthorized', finqwareCode: 'invalid_client_secret' });
  });

  it('keeps the secret, nonces, temp_tokens, access tokens and ids out of every log line', async () => {
    const tempToken = await completeCardSession();
    const grant = await client.exchangeTempToken(tempToken);
    await client.getConsent(grant);
    await failure(client.exchangeTempToken(tempToken));
    const logged = lines.join('\n');
    const issued = sandbox.issuedSecrets();
    for (const secret of [SANDBOX_KEYS.clientSecret, SANDBOX_KEYS.clientAppKey, grant.credentialsId, ...issued.nonces, ...issued.temp_tokens, ...issued.access_tokens]) {
      expect(logged).not.toContain(secret);
    }
    expect(logged).not.toContain('Bearer');
    expect(lines.length).toBe(paths.length);
  });

  if (signed) {
    it('is refused with a key the service account does not publish', async () => {
      const impostor = clientWith({ signing: { privateKeyPem: OTHER_KEY, email: EMAIL } });
      expect(await failure(impostor.catalog())).toMatchObject({ code: 'unauthorized', finqwareCode: 'invalid_signature' });
      // Signature problems are not retried even on reads: they will not fix themselves.
      expect(paths).toEqual([`${base}/catalogs/get`]);
    });

    it('is refused when the signer’s clock is far from Finqware’s', async () => {
      const late = clientWith({ now: () => clock.ms - 10 * 60 * 1000 });
      expect(await failure(late.catalog())).toMatchObject({ code: 'unauthorized', finqwareCode: 'invalid_signature' });
    });
  } else {
    it('is refused on /v1s when the tenant has no signing configured', async () => {
      const unsignedSandbox = createFinqwareSandbox({ ...SANDBOX_KEYS, now: () => clock.ms });
      const signer = createFinqwareClient({
        ...SANDBOX_KEYS,
        apiUrl: 'http://finqware.test',
        signing: { privateKeyPem: SIGNING_KEY, email: EMAIL },
        now: () => clock.ms,
        log: { debug: () => undefined, info: () => undefined },
        fetch: (input, init) => unsignedSandbox.handle(new Request(input, init)),
      });
      expect(await failure(signer.catalog())).toMatchObject({ code: 'unauthorized', finqwareCode: 'invalid_signature' });
    });
  }
});
