import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getEnv } from '@/lib/env';
import { knownSecrets } from '@/lib/secrets/known';
import { AISP_SKILL, CARD_SKILL, createFinqwareSandbox, type FinqwareSandbox } from '@guidepost/sandbox/finqware';
import { VALID_DATA } from '@guidepost/sandbox/finqware/testing';
import { NONCE_TTL_MS, type FinqwareJwks } from '@guidepost/provider-contracts/finqware';
import {
  EXAMPLE_ACCOUNT_ID,
  EXAMPLE_CREDENTIALS_ID,
  EXAMPLE_SKILL,
  exampleAccounts,
  exampleBalances,
  exampleConsentDeleted,
  exampleConsentGet,
  exampleTransactions,
} from '@guidepost/provider-contracts/finqware/examples';
import { createFinqwareClient, finqwareClient, type FinqwareClient, type FinqwareClientConfig, type StepResult } from './client';
import { FinqwareError } from './errors';

const KEYS = { clientId: 'tenant-client-id', clientAppKey: 'tenant-app-key', clientSecret: 'tenant-client-secret-do-not-leak' } as const;
// The examples' grant: answers scripted from them are about this grant.
const GRANT = { credentialsId: EXAMPLE_CREDENTIALS_ID, accessToken: 'access-token-do-not-leak' };

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
    expect(seen).toEqual([
      { url: `${apiUrl}/v1${getEnv().finqware.signing ? 's' : ''}/catalogs/get`, body: { client_id: clientId, client_app_key: clientAppKey } },
    ]);
  });
});

describe('Finqware client mapping', () => {
  it('maps the catalog to our skills, keeping steps of unknown kinds as unknown', async () => {
    const { client, bodies } = scripted({
      '/v1/catalogs/get': [
        { skill: 'xyz_aisp_sbx_#1.0', name: 'Accounts', description: 'Read accounts', steps: [{ step: 'consent', kind: 'consent' }] },
        {
          skill: 'xyz_loan_sbx_#2.0',
          name: 'Loan',
          steps: [
            { step: 'product_form', kind: 'product_form' },
            { step: 'video', kind: 'video_call' },
          ],
        },
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

  it('maps consents/get: the skill from its originator, DELETED as revoked', async () => {
    const { client, bodies } = scripted({ '/v1/consents/get': exampleConsentGet() });
    expect(await client.getConsent(GRANT)).toEqual({ skillId: EXAMPLE_SKILL, status: 'active', expiresAt: new Date(exampleConsentGet().result.consent_exp) });
    expect(bodies['/v1/consents/get']).toEqual({
      client_id: KEYS.clientId,
      client_secret: KEYS.clientSecret,
      credentials_id: GRANT.credentialsId,
      access_token: GRANT.accessToken,
    });
    for (const [wire, domain] of [
      ['DELETED', 'revoked'],
      ['EXPIRED', 'expired'],
    ] as const) {
      expect((await scripted({ '/v1/consents/get': exampleConsentGet(wire) }).client.getConsent(GRANT)).status).toBe(domain);
    }
  });

  it('takes the documented consents/delete answer as done, and nothing short of DELETED', async () => {
    await expect(scripted({ '/v1/consents/delete': exampleConsentDeleted() }).client.revokeConsent(GRANT)).resolves.toBeUndefined();
    // Only Finqware's word that this consent is DELETED counts; the informative fields may vary.
    const { result } = exampleConsentDeleted();
    await expect(
      scripted({
        '/v1/consents/delete': { code: 'credentials_deleted', result: { client_id: KEYS.clientId, credentials_id: result.credentials_id, status: 'DELETED' } },
      }).client.revokeConsent(GRANT),
    ).resolves.toBeUndefined();
    for (const answer of [
      { ...exampleConsentDeleted(), result: { ...result, status: 'ACTIVE' } },
      { ...exampleConsentDeleted(), code: 'credentials_info' },
      // The shape both used to agree on, which Finqware never answers.
      { credentials_id: GRANT.credentialsId, status: 'REVOKED' },
    ]) {
      expect((await failure(scripted({ '/v1/consents/delete': answer }).client.revokeConsent(GRANT))).code).toBe('invalid_response');
    }
  });

  it('maps accounts: the bank, the IBAN among the schemes (null without one), the nickname before the name', async () => {
    const [account] = exampleAccounts();
    const noIban = {
      ...account!,
      id: 'card-1',
      data: { ...account!.data, account_schemes: [{ scheme_name: 'BICFI' as const, identification: 'XYZBROBUXXX' }], name: 'Card', nickname: 'Travel card' },
    };
    const { client, bodies } = scripted({ '/v1/accounts/get': [account, noIban] });
    const common = { servicerName: account!.servicer_name, accountType: account!.data.account_type, currency: account!.data.currency };
    expect(await client.accounts('tenant-user', GRANT)).toEqual([
      { ...common, accountId: EXAMPLE_ACCOUNT_ID, iban: account!.data.account_schemes[0]!.identification, name: account!.data.name },
      { ...common, accountId: 'card-1', iban: null, name: 'Travel card' },
    ]);
    expect(bodies['/v1/accounts/get']).toEqual({
      client_id: KEYS.clientId,
      client_secret: KEYS.clientSecret,
      credentials_id: GRANT.credentialsId,
      access_token: GRANT.accessToken,
      tenant_user_id: 'tenant-user',
    });
  });

  it('maps balances to signed decimal strings by their side, and sends the filter only when given', async () => {
    const { client, bodies } = scripted({ '/v1/balances/get': exampleBalances() });
    // The example's ClosingBooked is a credit of 210.23, its InterimAvailable a debit (overdraft) of 15.70.
    expect(await client.balances('tenant-user', GRANT)).toEqual([
      { accountId: EXAMPLE_ACCOUNT_ID, amount: '210.23', currency: 'RON', type: 'ClosingBooked' },
      { accountId: EXAMPLE_ACCOUNT_ID, amount: '-15.70', currency: 'RON', type: 'InterimAvailable' },
    ]);
    expect(bodies['/v1/balances/get']).not.toHaveProperty('filter');
    await client.balances('tenant-user', GRANT, { accountId: EXAMPLE_ACCOUNT_ID, type: 'Expected' });
    expect(bodies['/v1/balances/get']).toMatchObject({ filter: { account_id: EXAMPLE_ACCOUNT_ID, type: 'Expected' } });
    // A debit of zero is no debt.
    const [zero] = exampleBalances();
    zero!.data = { ...zero!.data, amount: '0.00', credit_debit_indicator: 'debit' };
    expect((await scripted({ '/v1/balances/get': [zero] }).client.balances('tenant-user', GRANT))[0]!.amount).toBe('0.00');
  });

  it('maps transactions: signed amounts, the utx_id, when stored and booked, pending until booked; the filter only when given', async () => {
    const { client, bodies } = scripted({ '/v1/transactions/get': exampleTransactions() });
    expect(await client.transactions('tenant-user', GRANT)).toEqual([
      {
        accountId: EXAMPLE_ACCOUNT_ID,
        utxId: 'Jd+ErYeFaUOWzU37k9y1+fHz/+4v/YwQ/fq8A4jbSjc=',
        storedAt: new Date('2025-03-01T13:14:52Z'),
        bookedAt: new Date('2025-02-27T07:57:00Z'),
        amount: '-4.27',
        currency: 'RON',
        label: 'Currency payment or withdrawal',
        status: 'booked',
      },
      expect.objectContaining({ amount: '1250.00', status: 'pending' }),
    ]);
    expect(bodies['/v1/transactions/get']).not.toHaveProperty('filter');
    await client.transactions('tenant-user', GRANT, { accountId: EXAMPLE_ACCOUNT_ID, storedSince: new Date('2025-03-01T13:14:52.689Z') });
    expect(bodies['/v1/transactions/get']).toMatchObject({
      tenant_user_id: 'tenant-user',
      credentials_id: GRANT.credentialsId,
      filter: { account_id: EXAMPLE_ACCOUNT_ID, timestamp_gte: '2025-03-01T13:14:52.689Z' },
    });
    // A status Finqware may add later is not taken for final.
    const [booked] = exampleTransactions();
    const odd = [{ ...booked!, data: { ...booked!.data, status: 'information' } }];
    expect((await scripted({ '/v1/transactions/get': odd }).client.transactions('tenant-user', GRANT))[0]!.status).toBe('pending');
  });

  it('refuses amounts that are not decimal strings ≥ 0: a JSON number, a sign', async () => {
    for (const amount of [10.25, '-10.25', '1e3']) {
      const [balance] = exampleBalances();
      const answer = [{ ...balance!, data: { ...balance!.data, amount } }];
      expect((await failure(scripted({ '/v1/balances/get': answer }).client.balances('tenant-user', GRANT))).code).toBe('invalid_response');
    }
  });

  it('refuses an answer about another grant', async () => {
    const other = { ...exampleConsentGet(), result: { ...exampleConsentGet().result, credentials_id: 'cred-2' } };
    const otherDeleted = { ...exampleConsentDeleted(), result: { ...exampleConsentDeleted().result, credentials_id: 'cred-2' } };
    const { client } = scripted({ '/v1/consents/get': other, '/v1/consents/delete': otherDeleted });
    expect((await failure(client.getConsent(GRANT))).code).toBe('invalid_response');
    expect((await failure(client.revokeConsent(GRANT))).code).toBe('invalid_response');
  });
});

// Integration: the client against the real simulator, over both bases. The sandbox answers exactly what
// the server would get over loopback HTTP.

const SANDBOX_KEYS = { clientId: 'it-client-id', clientAppKey: 'it-client-app-key', clientSecret: 'it-client-secret-0123456789' } as const;
const START = Date.parse('2025-03-01T10:00:00.000Z');
const EMAIL = 'guidepost@tenant.example';
// The service account's key, its id as the key file gives it, and the JWKS it publishes (public half only).
const KEY_ID = '1d3f5a7c9e0b2d4f6a8c0e1a3c5e7a9b0d2f4a6c';
const pem = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
    .privateKey;
const SIGNING_KEY = pem();
const OTHER_KEY = pem();
function jwksOf(privateKeyPem: string, kid: string): FinqwareJwks {
  const { n, e } = createPublicKey(privateKeyPem).export({ format: 'jwk' });
  return { keys: [{ kid, kty: 'RSA', n: n!, e: e!, alg: 'RS256', use: 'sig' }] };
}

// Files whose first bytes are those of real PDF and JPEG files: the sandbox judges uploads by content.
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0x2d, 0xff, 0xd9]);

// The sandbox's valid answers for each step of the card skill.
const CARD_DATA = VALID_DATA;

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
      signing: signed ? { privateKeyPem: SIGNING_KEY, email: EMAIL, keyId: KEY_ID } : undefined,
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

  beforeEach(() => {
    clock = { ms: START };
    paths = [];
    lines = [];
    sandbox = createFinqwareSandbox({
      ...SANDBOX_KEYS,
      now: () => clock.ms,
      random: () => 0.99,
      // The service account's published key set, matched by kid.
      signing: { email: EMAIL, jwks: jwksOf(SIGNING_KEY, KEY_ID) },
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
      await client.uploadToStep({
        stepId: identity.stepId,
        skillId: CARD_SKILL,
        nonce: inProgress(identity),
        file: { bytes: PDF, filename: 'passport.pdf', contentType: 'application/pdf' },
      }),
    );
    const selfie = await client.submitStep({ sessionId, skillId: CARD_SKILL, step: 'selfie', nonce, data: CARD_DATA.selfie });
    const done = await client.uploadToStep({
      stepId: selfie.stepId,
      skillId: CARD_SKILL,
      nonce: inProgress(selfie),
      file: { bytes: JPEG, filename: 'selfie.jpg', contentType: 'image/jpeg' },
    });
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

  it('uploads an identity card’s front and back in the one call that completes its step', async () => {
    const { sessionId, nonce: afterForm } = await cardSessionAtPersonalData();
    const nonce = inProgress(
      await client.submitStep({ sessionId, skillId: CARD_SKILL, step: 'personal_data', nonce: afterForm, data: CARD_DATA.personal_data }),
    );
    const identity = await client.submitStep({ sessionId, skillId: CARD_SKILL, step: 'identity_document', nonce, data: { document_type: 'id_card' } });
    const next = await client.uploadToStep({
      stepId: identity.stepId,
      skillId: CARD_SKILL,
      nonce: inProgress(identity),
      file: { bytes: JPEG, filename: 'identity-document.jpg', contentType: 'image/jpeg' },
      back: { bytes: PDF, filename: 'identity-document-back.pdf', contentType: 'application/pdf' },
    });
    expect(next.status).toBe('in_progress');
    expect(sandbox.uploads().map(({ page, file_name, detected_type }) => ({ page, file_name, detected_type }))).toEqual([
      { page: 'front', file_name: 'identity-document.jpg', detected_type: 'image/jpeg' },
      { page: 'back', file_name: 'identity-document-back.pdf', detected_type: 'application/pdf' },
    ]);
    expect(paths.filter((path) => path.endsWith('/upload'))).toHaveLength(1);
  });

  it('reads accounts and balances under an account-information consent, and is refused after revocation', async () => {
    const { sessionId, nonce } = await client.startSession('portal-user-2', AISP_SKILL);
    const done = await client.submitStep({ sessionId, skillId: AISP_SKILL, step: 'consent', nonce, data: { accepted: true } });
    if (done.status !== 'completed') throw new Error('the consent session did not complete');
    const grant = await client.exchangeTempToken(done.tempToken);
    const accounts = await client.accounts('portal-user-2', grant);
    expect(accounts.length).toBeGreaterThan(0);
    for (const account of accounts)
      expect(account).toEqual({
        accountId: expect.any(String),
        servicerName: expect.stringMatching(/\S/),
        iban: expect.toBeOneOf([null, expect.stringMatching(/^[A-Z]{2}\d{2}/)]),
        name: expect.any(String),
        accountType: expect.stringMatching(/\S/),
        currency: expect.stringMatching(/^[A-Z]{3}$/),
      });
    // The sandbox bank's card has no IBAN, and what it owes comes back as a negative amount.
    const card = accounts.find((account) => account.iban === null);
    expect(card).toBeDefined();
    const balances = await client.balances('portal-user-2', grant);
    expect(new Set(balances.map((b) => b.accountId))).toEqual(new Set(accounts.map((a) => a.accountId)));
    for (const balance of balances) expect(balance.amount).toMatch(/^-?\d+\.\d{2}$/);
    expect(balances.find((b) => b.accountId === card!.accountId && b.type === 'ClosingBooked')?.amount).toMatch(/^-\d+\.\d{2}$/);
    const [first] = accounts;
    const narrowed = await client.balances('portal-user-2', grant, { accountId: first!.accountId, type: 'ClosingBooked' });
    expect(narrowed).toEqual(balances.filter((b) => b.accountId === first!.accountId && b.type === 'ClosingBooked'));
    expect(narrowed).toHaveLength(1);

    await client.revokeConsent(grant);
    expect(await failure(client.accounts('portal-user-2', grant))).toMatchObject({ code: 'unauthorized', finqwareCode: 'expired_credentials' });
  });

  it('reads transactions, then only those stored since the newest it has (timestamp_gte), and a named data error', async () => {
    const { sessionId, nonce } = await client.startSession('portal-user-3', AISP_SKILL);
    const done = await client.submitStep({ sessionId, skillId: AISP_SKILL, step: 'consent', nonce, data: { accepted: true } });
    if (done.status !== 'completed') throw new Error('the consent session did not complete');
    const grant = await client.exchangeTempToken(done.tempToken);
    const [current] = await client.accounts('portal-user-3', grant);
    const first = await client.transactions('portal-user-3', grant, { accountId: current!.accountId });
    expect(first.length).toBeGreaterThan(100);
    expect(new Set(first.map((t) => t.accountId))).toEqual(new Set([current!.accountId]));
    expect(new Set(first.map((t) => t.utxId)).size).toBe(first.length);
    for (const transaction of first) expect(transaction.amount).toMatch(/^-?\d+\.\d{2}$/);
    const newest = new Date(Math.max(...first.map((t) => t.storedAt.getTime())));

    // Three arrive an hour later; reading from the newest stored time gives those three, and again what was stored
    // at that very time (here the whole first read: a consent's history is stored at once), which the cache's
    // upsert on utx_id absorbs.
    clock.ms += 60 * 60 * 1000;
    const control = (path: string, body: unknown) =>
      sandbox.handle(
        new Request(`https://finqware.sandbox/_control/${path}`, {
          method: 'POST',
          headers: { 'X-Client-Id': SANDBOX_KEYS.clientId, 'X-Client-Secret': SANDBOX_KEYS.clientSecret, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
    expect((await control('transactions', { tenant_user_id: 'portal-user-3', account_id: current!.accountId, count: 3 })).status).toBe(200);
    const since = await client.transactions('portal-user-3', grant, { accountId: current!.accountId, storedSince: newest });
    const known = new Set(first.map((t) => t.utxId));
    expect(since.filter((t) => !known.has(t.utxId))).toHaveLength(3);
    expect(since.every((t) => t.storedAt.getTime() >= newest.getTime())).toBe(true);
    const later = new Date(Math.max(...since.map((t) => t.storedAt.getTime())));
    expect(await client.transactions('portal-user-3', grant, { accountId: current!.accountId, storedSince: later })).toHaveLength(3);

    expect((await control('faults', { faults: [{ operation: 'POST /transactions/get', action: 'error', code: 'inactive_credentials' }] })).status).toBe(200);
    expect(await failure(client.transactions('portal-user-3', grant))).toMatchObject({ status: 401, finqwareCode: 'inactive_credentials' });
  });

  // Finqware answers a step's errors as a bare { message } [doc], nonce problems included: no code, no id.
  // Which of our codes that becomes is errors.ts's rule (tested there); here, what arrives.
  it('is refused a reused nonce with a bare message (401)', async () => {
    const { sessionId, first } = await cardSessionAtPersonalData();
    const error = await failure(client.submitStep({ sessionId, skillId: CARD_SKILL, step: 'product_form', nonce: first, data: CARD_DATA.product_form }));
    expect(error).toMatchObject({ status: 401 });
    expect(error.finqwareCode).toBeUndefined();
    expect(error.id).toBeUndefined();
  });

  it('is refused an expired nonce with a bare message (401)', async () => {
    const { sessionId, nonce } = await cardSessionAtPersonalData();
    sandbox.setKnobs({ clock_offset_ms: NONCE_TTL_MS });
    const error = await failure(client.submitStep({ sessionId, skillId: CARD_SKILL, step: 'personal_data', nonce, data: CARD_DATA.personal_data }));
    expect(error).toMatchObject({ status: 401 });
    expect(error.finqwareCode).toBeUndefined();
  });

  it('reads a step’s refusal without a code (the bare error shape) as a nonce problem, so the portal offers a restart', async () => {
    const { sessionId, nonce } = await cardSessionAtPersonalData();
    const error = await failure(
      client.submitStep({ sessionId, skillId: CARD_SKILL, step: 'personal_data', nonce, data: { ...CARD_DATA.personal_data, date_of_birth: '2020-01-01' } }),
    );
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
    for (const secret of [
      SANDBOX_KEYS.clientSecret,
      SANDBOX_KEYS.clientAppKey,
      grant.credentialsId,
      ...issued.nonces,
      ...issued.temp_tokens,
      ...issued.access_tokens,
    ]) {
      expect(logged).not.toContain(secret);
    }
    expect(logged).not.toContain('Bearer');
    expect(lines.length).toBe(paths.length);
  });

  if (signed) {
    it('is refused with a key the service account does not publish', async () => {
      const impostor = clientWith({ signing: { privateKeyPem: OTHER_KEY, email: EMAIL, keyId: KEY_ID } });
      expect(await failure(impostor.catalog())).toMatchObject({ code: 'unauthorized', finqwareCode: 'invalid_signature' });
      // Signature problems are not retried even on reads: they will not fix themselves.
      expect(paths).toEqual([`${base}/catalogs/get`]);
    });

    it('is refused when its kid names no key the service account publishes, though the key is right', async () => {
      const misnamed = clientWith({ signing: { privateKeyPem: SIGNING_KEY, email: EMAIL, keyId: 'e'.repeat(40) } });
      expect(await failure(misnamed.catalog())).toMatchObject({ code: 'unauthorized', finqwareCode: 'invalid_signature' });
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
        signing: { privateKeyPem: SIGNING_KEY, email: EMAIL, keyId: KEY_ID },
        now: () => clock.ms,
        log: { debug: () => undefined, info: () => undefined },
        fetch: (input, init) => unsignedSandbox.handle(new Request(input, init)),
      });
      expect(await failure(signer.catalog())).toMatchObject({ code: 'unauthorized', finqwareCode: 'invalid_signature' });
    });
  }
});
