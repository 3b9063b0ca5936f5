import { createHash, createPrivateKey, randomUUID, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { API_BASE, NONCE_TTL_MS, PATHS, SIGNED_API_BASE, SIGNING_AUDIENCE, SIGNING_TTL_SECONDS, STATUS } from './choices';
import {
  finqwareAccountsSchema,
  finqwareBalancesSchema,
  finqwareBareErrorSchema,
  finqwareConsentDeletedSchema,
  finqwareConsentGetSchema,
  finqwareFullErrorSchema,
  finqwareSessionCreatedSchema,
  finqwareStepResponseSchema,
  finqwareTokensSchema,
  finqwareTransactionsSchema,
} from './wire';

// Finqware's contract, written once from its documents (../shared/PROVIDERS.md) and run against any
// target: the sandbox in CI (packages/sandbox/src/finqware/contract.test.ts) and a real Finqware when
// credentials are given (live.test.ts). It speaks HTTP only, signs by the documented recipe with
// node:crypto alone, and never uses the product's client or the sandbox's code.

/** One step of a session that runs to its end without a person, in order. */
export interface FinqwareContractStep {
  step: string;
  data: Record<string, unknown>;
}

export interface FinqwareContractSkill {
  /** A skill the tenant registered, e.g. `xyz_aisp_sbx_#1.0`. */
  id: string;
  /** Steps that complete a session of this skill with no upload nor bank redirect. Without them a session is only opened. */
  steps?: readonly FinqwareContractStep[];
  /** Whether this skill's consent reaches account data (accounts/get, balances/get, transactions/get). */
  accountData?: boolean;
}

/** The service account that signs `/v1s` calls, as Finqware knows it. */
export interface FinqwareContractSigning {
  email: string;
  /** The key's id in the account's published JWKS (40 hex digits). */
  keyId: string;
  /** The matching PKCS#8 private key, PEM. */
  privateKeyPem: string;
}

/** A target whose clock the suite may move (the sandbox); a real Finqware has none. */
export interface FinqwareContractClock {
  now(): number;
  advance(ms: number): void | Promise<void>;
}

export interface FinqwareContractTarget {
  /** Shown in the suite's title. */
  name: string;
  /** The API's origin, with or without `/v1` (`https://api.finqware.com`). */
  baseUrl: string;
  fetch: (request: Request) => Promise<Response>;
  clientId: string;
  clientAppKey: string;
  clientSecret: string;
  skill?: FinqwareContractSkill;
  signing?: FinqwareContractSigning;
  clock?: FinqwareContractClock;
  /** Each session is opened for a fresh `<prefix>-<uuid>` end user; default `guidepost-contract`. */
  tenantUserPrefix?: string;
}

type Json = unknown;
interface Answer {
  status: number;
  contentType: string;
  body: Json;
}

/** Runs the contract against `target` as one Vitest `describe`; checks a target cannot give are skipped, saying why. */
export function finqwareContractSuite(target: FinqwareContractTarget): void {
  const origin = target.baseUrl.replace(/\/+$/, '').replace(/\/v1s?$/, '');
  const now = () => target.clock?.now() ?? Date.now();
  const { skill, signing, clock } = target;
  const steps = skill?.steps ?? [];

  const keys = { client_id: target.clientId };
  const secretKeys = { client_id: target.clientId, client_secret: target.clientSecret };
  const newTenantUser = () => `${target.tenantUserPrefix ?? 'guidepost-contract'}-${randomUUID()}`;

  /** Tests that need what the target may not give: run when it does, else skipped with the reason in their title. */
  function itWhen(available: unknown, reason: string) {
    return (title: string, fn: () => Promise<void>) => (available ? it(title, fn) : it.skip(`${title} — skipped: ${reason}`, fn));
  }
  const withSkill = itWhen(skill, 'no skill given');
  const withSession = itWhen(skill && steps.length > 0, 'no steps given that complete a session of the skill');
  const withData = itWhen(skill && steps.length > 0 && skill.accountData, 'the skill given reaches no account data');

  async function send(path: string, bytes: string, options: { base?: string; headers?: Record<string, string>; method?: string } = {}): Promise<Answer> {
    const method = options.method ?? 'POST';
    const headers = { 'content-type': 'application/json', accept: 'application/json', ...options.headers };
    const response = await target.fetch(
      new Request(`${origin}${options.base ?? API_BASE}${path}`, { method, headers, body: method === 'GET' ? undefined : bytes }),
    );
    const text = await response.text();
    let body: Json = text;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      // Kept as text: a test that expected JSON says so.
    }
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', body };
  }

  /** A documented call: a POST with the compact JSON body, under /v1. */
  const post = (path: string, body: Record<string, unknown>) => send(path, JSON.stringify(body));

  function parsed<S extends z.ZodType>(schema: S, answer: Answer, what: string): z.output<S> {
    expect(answer.status, `${what}: status (body ${JSON.stringify(answer.body)})`).toBe(200);
    expect(answer.contentType, `${what}: Content-Type`).toMatch(/^application\/json/i);
    const result = schema.safeParse(answer.body);
    if (!result.success)
      throw new Error(
        `${what}: the answer does not fit the documented shape: ${JSON.stringify(result.error.issues.map(({ path, message }) => ({ path, message })))}`,
      );
    return result.data;
  }

  /** A refusal in the full documented shape: `{ id, type, http, code, message }`, `http` equal to the status. */
  function fullError(answer: Answer, expected: { status?: number; type?: string | readonly string[]; code?: string | readonly string[] }, what: string) {
    expect(answer.status, `${what}: a 4xx refusal`).toBeGreaterThanOrEqual(400);
    expect(answer.status, `${what}: a 4xx refusal`).toBeLessThan(500);
    const error = finqwareFullErrorSchema.safeParse(answer.body);
    if (!error.success) throw new Error(`${what}: not the full error shape { id, type, http, code, message }: ${JSON.stringify(answer.body)}`);
    expect(error.data.http, `${what}: http repeats the status`).toBe(answer.status);
    if (expected.status !== undefined) expect(answer.status, what).toBe(expected.status);
    for (const [field, want] of [
      ['type', expected.type],
      ['code', expected.code],
    ] as const) {
      if (want !== undefined) expect([want].flat(), `${what}: ${field}`).toContain(error.data[field]);
    }
    return error.data;
  }

  /** A refusal in either documented shape (step submission may answer a bare `{ message }`). */
  function anyError(answer: Answer, what: string): void {
    expect(answer.status, `${what}: a 4xx refusal (body ${JSON.stringify(answer.body)})`).toBeGreaterThanOrEqual(400);
    expect(answer.status, what).toBeLessThan(500);
    const full = finqwareFullErrorSchema.safeParse(answer.body).success;
    const bare = finqwareBareErrorSchema.safeParse(answer.body).success;
    expect(full || bare, `${what}: { id, type, http, code, message } or { message }, got ${JSON.stringify(answer.body)}`).toBe(true);
  }

  async function openSession(tenantUserId = newTenantUser()) {
    const answer = await post(PATHS.sessions, {
      tenant_user_id: tenantUserId,
      client_id: target.clientId,
      client_app_key: target.clientAppKey,
      skill: skill!.id,
    });
    return { tenantUserId, ...parsed(finqwareSessionCreatedSchema, answer, 'sessions') };
  }

  const submit = (sessionId: string, nonce: string, step: FinqwareContractStep) =>
    post(PATHS.steps(sessionId), { ...keys, nonce, skill: skill!.id, step: step.step, data: step.data });

  /** A session run through every step; returns each answer and the temp_token. */
  async function completeSession(tenantUserId?: string) {
    const session = await openSession(tenantUserId);
    let nonce = session.nonce;
    const nonces = [nonce];
    let tempToken: string | undefined;
    for (const [index, step] of steps.entries()) {
      const answer = parsed(finqwareStepResponseSchema, await submit(session.session_id, nonce, step), `step ${step.step}`);
      const last = index === steps.length - 1;
      expect(answer.status, `step ${step.step}: ${last ? 'the last step completes the session' : 'the session goes on'}`).toBe(
        last ? STATUS.completed : STATUS.inProgress,
      );
      if (answer.status === STATUS.completed) tempToken = answer.temp_token;
      else nonces.push((nonce = answer.nonce));
    }
    if (!tempToken) throw new Error('the session did not complete');
    return { ...session, nonces, tempToken };
  }

  const exchange = (tempToken: string) => post(PATHS.tokens, { ...secretKeys, temp_token: tempToken });

  /** A consent, for a fresh end user unless one is named. */
  async function grant(tenantUserId?: string) {
    const session = await completeSession(tenantUserId);
    const tokens = parsed(finqwareTokensSchema, await exchange(session.tempToken), 'tokens');
    return { tenantUserId: session.tenantUserId, tokens, pair: { credentials_id: tokens.credentials_id, access_token: tokens.access_token } };
  }

  // The documented recipe: digest = base64 of SHA-256 of the exact body bytes; RS256 JWT with kid, iss = sub = email, aud.
  function jwt(body: string, overrides: { kid?: string; privateKeyPem?: string } = {}): string {
    const s = signing!;
    const iat = Math.floor(now() / 1000);
    const claims = {
      iss: s.email,
      sub: s.email,
      email: s.email,
      aud: SIGNING_AUDIENCE,
      iat,
      exp: iat + SIGNING_TTL_SECONDS,
      digest: createHash('sha256').update(body).digest('base64'),
    };
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${encode({ alg: 'RS256', typ: 'JWT', kid: overrides.kid ?? s.keyId })}.${encode(claims)}`;
    return `${input}.${sign('RSA-SHA256', Buffer.from(input), createPrivateKey(overrides.privateKeyPem ?? s.privateKeyPem)).toString('base64url')}`;
  }

  describe(`Finqware contract: ${target.name}`, () => {
    it('refuses bad tenant keys with the full error shape: a wrong client_secret, a wrong client_id', async () => {
      const secret = await post(PATHS.tokens, { ...secretKeys, client_secret: `${target.clientSecret}-wrong`, temp_token: 'not-a-temp-token' });
      fullError(
        secret,
        { status: 401, type: 'unauthorized', code: ['invalid_client_secret', 'invalid_tenant_keys', 'invalid_api_keys'] },
        'tokens with a wrong client_secret',
      );
      const client = await post(PATHS.tokens, { ...secretKeys, client_id: `${target.clientId}-wrong`, temp_token: 'not-a-temp-token' });
      fullError(
        client,
        { type: ['unauthorized', 'invalid_request'], code: ['invalid_client_id', 'invalid_tenant_keys', 'invalid_api_keys'] },
        'tokens with a wrong client_id',
      );
    });

    it('refuses unknown credentials with the full error shape', async () => {
      const pair = { credentials_id: randomUUID(), access_token: 'not-an-access-token' };
      for (const path of [PATHS.consentsGet, PATHS.consentsDelete]) {
        fullError(
          await post(path, { ...secretKeys, ...pair }),
          { type: ['invalid_request', 'unauthorized'], code: ['invalid_credentials_id', 'invalid_access_token'] },
          `${path} with unknown credentials`,
        );
      }
    });

    it('refuses a temp_token it never issued', async () => {
      fullError(
        await exchange(`unknown-${randomUUID()}`),
        { status: 401, type: 'unauthorized', code: 'invalid_temp_token' },
        'tokens with an unknown temp_token',
      );
    });

    withSkill('sessions: answers { nonce, session_id, status: "SESSION_CREATED" }', async () => {
      const first = await openSession();
      const second = await openSession(first.tenantUserId);
      expect(second.session_id).not.toBe(first.session_id);
      expect(second.nonce).not.toBe(first.nonce);
    });

    withSkill('sessions: refuses a wrong client_app_key with the full error shape', async () => {
      const answer = await post(PATHS.sessions, {
        tenant_user_id: newTenantUser(),
        client_id: target.clientId,
        client_app_key: `${target.clientAppKey}-wrong`,
        skill: skill!.id,
      });
      fullError(answer, { status: 401, type: 'unauthorized' }, 'sessions with a wrong client_app_key');
    });

    withSession('steps chain nonces: each answer brings the only nonce for the next call, then the temp_token', async () => {
      const session = await completeSession();
      expect(new Set(session.nonces).size, 'every nonce is new').toBe(session.nonces.length);
      expect(session.tempToken).not.toBe('');
    });

    withSession('each nonce works once: a used one is refused, so is one never issued', async () => {
      const session = await openSession();
      const first = steps[0]!;
      parsed(finqwareStepResponseSchema, await submit(session.session_id, session.nonce, first), `step ${first.step}`);
      anyError(await submit(session.session_id, session.nonce, first), 'the same nonce again');
      const other = await openSession();
      anyError(await submit(other.session_id, `${other.nonce}x`, first), 'a nonce never issued');
      // The refusals spent nothing: the real nonce still works.
      parsed(finqwareStepResponseSchema, await submit(other.session_id, other.nonce, first), `step ${first.step} after a refusal`);
    });

    itWhen(skill && steps.length > 0 && clock, 'the target has no clock the test may move')(
      'an expired nonce is refused (nonces live 30 minutes)',
      async () => {
        const session = await openSession();
        await clock!.advance(NONCE_TTL_MS);
        anyError(await submit(session.session_id, session.nonce, steps[0]!), 'a nonce 30 minutes old');
      },
    );

    withSession('tokens: a temp_token is exchanged once for { credentials_id, access_token, consent_exp, max_data_retention }', async () => {
      const { tempToken } = await completeSession();
      const tokens = parsed(finqwareTokensSchema, await exchange(tempToken), 'tokens');
      expect(Date.parse(tokens.consent_exp)).toBeGreaterThan(now() - 60_000);
      expect(Date.parse(tokens.max_data_retention)).toBeGreaterThanOrEqual(Date.parse(tokens.consent_exp));
      fullError(await exchange(tempToken), { status: 401, type: 'unauthorized', code: 'invalid_temp_token' }, 'the same temp_token again');
    });

    withSession('consents/get describes the consent; consents/delete deletes it, idempotently', async () => {
      const { tokens, pair } = await grant();
      const active = parsed(finqwareConsentGetSchema, await post(PATHS.consentsGet, { ...secretKeys, ...pair }), 'consents/get');
      expect(active.result).toMatchObject({
        credentials_id: tokens.credentials_id,
        status: 'ACTIVE',
        originator: { skill: skill!.id },
        tenant_app_info: { client_id: target.clientId },
      });
      expect(Date.parse(active.result.consent_exp)).toBe(Date.parse(tokens.consent_exp));
      expect(Date.parse(active.result.max_data_retention)).toBe(Date.parse(tokens.max_data_retention));

      const deleted = parsed(finqwareConsentDeletedSchema, await post(PATHS.consentsDelete, { ...secretKeys, ...pair }), 'consents/delete');
      expect(deleted.result).toMatchObject({ credentials_id: tokens.credentials_id, status: 'DELETED' });
      const again = parsed(finqwareConsentDeletedSchema, await post(PATHS.consentsDelete, { ...secretKeys, ...pair }), 'consents/delete again');
      expect(again.result, 'a second delete answers the same').toEqual(deleted.result);
      const after = parsed(finqwareConsentGetSchema, await post(PATHS.consentsGet, { ...secretKeys, ...pair }), 'consents/get after delete');
      expect(after.result.status).toBe('DELETED');
    });

    withSession('consents refuse a wrong access_token for real credentials, with the full error shape', async () => {
      const { pair } = await grant();
      fullError(
        await post(PATHS.consentsGet, { ...secretKeys, ...pair, access_token: `${pair.access_token}x` }),
        { type: ['unauthorized', 'invalid_request'], code: 'invalid_access_token' },
        'a wrong access_token',
      );
    });

    withData('accounts/get and balances/get: the documented shapes, amounts as decimal strings ≥ 0', async () => {
      const { tenantUserId, pair } = await grant();
      const body = { ...secretKeys, ...pair, tenant_user_id: tenantUserId };
      const accounts = parsed(finqwareAccountsSchema, await post(PATHS.accountsGet, body), 'accounts/get');
      expect(accounts.length, 'at least one account').toBeGreaterThan(0);
      for (const account of accounts) {
        for (const balance of account.data.balances) expect(Number(balance.balance_amount)).toBeGreaterThanOrEqual(0);
      }
      const balances = parsed(finqwareBalancesSchema, await post(PATHS.balancesGet, body), 'balances/get');
      const accountIds = new Set(accounts.map(({ id }) => id));
      for (const balance of balances) {
        expect(accountIds, 'a balance belongs to one of the accounts').toContain(balance.account_id);
        expect(Number(balance.data.amount)).toBeGreaterThanOrEqual(0);
        expect(balance.data.type, 'an ISO 20022 name').toMatch(/^[A-Z][A-Za-z]+$/);
      }

      const [first] = balances;
      if (first) {
        const byAccount = parsed(
          finqwareBalancesSchema,
          await post(PATHS.balancesGet, { ...body, filter: { account_id: first.account_id } }),
          'balances/get by account',
        );
        expect(byAccount.length).toBeGreaterThan(0);
        expect(byAccount.every(({ account_id }) => account_id === first.account_id)).toBe(true);
        const byType = parsed(
          finqwareBalancesSchema,
          await post(PATHS.balancesGet, { ...body, filter: { type: first.data.type, currency: first.data.currency } }),
          'balances/get by type',
        );
        expect(byType.every(({ data }) => data.type === first.data.type && data.currency === first.data.currency)).toBe(true);
      }

      parsed(finqwareConsentDeletedSchema, await post(PATHS.consentsDelete, { ...secretKeys, ...pair }), 'consents/delete');
      fullError(await post(PATHS.accountsGet, body), { type: ['unauthorized', 'invalid_request'] }, 'accounts/get under a deleted consent');
    });

    withData('transactions/get: the documented shape, the account and timestamp_gte criteria, and utx_id the same under a second consent', async () => {
      const { tenantUserId, pair } = await grant();
      const body = { ...secretKeys, ...pair, tenant_user_id: tenantUserId };
      const accountIds = new Set(parsed(finqwareAccountsSchema, await post(PATHS.accountsGet, body), 'accounts/get').map(({ id }) => id));
      const all = parsed(finqwareTransactionsSchema, await post(PATHS.transactionsGet, body), 'transactions/get');
      for (const transaction of all) {
        expect(accountIds, 'a transaction belongs to one of the accounts').toContain(transaction.account_id);
        expect(Number(transaction.data.amount)).toBeGreaterThanOrEqual(0);
      }
      expect(new Set(all.map(({ utx_id }) => utx_id)).size, 'a utx_id names one transaction').toBe(all.length);

      const [first] = all;
      if (first) {
        const byAccount = parsed(
          finqwareTransactionsSchema,
          await post(PATHS.transactionsGet, { ...body, filter: { account_id: first.account_id } }),
          'transactions/get by account',
        );
        expect(byAccount.every(({ account_id }) => account_id === first.account_id)).toBe(true);
        expect(byAccount.map(({ utx_id }) => utx_id)).toContain(first.utx_id);
        const since = parsed(
          finqwareTransactionsSchema,
          await post(PATHS.transactionsGet, { ...body, filter: { timestamp_gte: first.timestamp } }),
          'transactions/get by timestamp_gte',
        );
        expect(since.every(({ timestamp }) => Date.parse(timestamp) >= Date.parse(first.timestamp))).toBe(true);
        expect(since.map(({ utx_id }) => utx_id)).toContain(first.utx_id);
      }

      // "the same across consents" [doc]: a second consent of the same user names the same transactions alike.
      const again = await grant(tenantUserId);
      const second = parsed(
        finqwareTransactionsSchema,
        await post(PATHS.transactionsGet, { ...secretKeys, ...again.pair, tenant_user_id: tenantUserId }),
        'transactions/get under a second consent',
      );
      if (all.length > 0 && second.length > 0) {
        const byUtx = new Map(second.map((transaction) => [transaction.utx_id, transaction]));
        const shared = all.filter(({ utx_id }) => byUtx.has(utx_id));
        expect(shared.length, 'transactions seen under both consents').toBeGreaterThan(0);
        for (const { utx_id, account_id, data } of shared) {
          const { amount, credit_debit_indicator, booking_date_time } = data;
          expect(byUtx.get(utx_id), utx_id).toMatchObject({ account_id, data: { amount, credit_debit_indicator, booking_date_time } });
        }
      }
      for (const consent of [pair, again.pair])
        parsed(finqwareConsentDeletedSchema, await post(PATHS.consentsDelete, { ...secretKeys, ...consent }), 'consents/delete');
      fullError(await post(PATHS.transactionsGet, body), { type: ['unauthorized', 'invalid_request'] }, 'transactions/get under a deleted consent');
    });

    itWhen(skill && signing, signing ? 'no skill given' : 'no signing key given')(
      '/v1s refuses an unsigned call and a wrong kid, and accepts a properly signed one',
      async () => {
        const body = JSON.stringify({ tenant_user_id: newTenantUser(), client_id: target.clientId, client_app_key: target.clientAppKey, skill: skill!.id });
        const refused = (answer: Answer, what: string) => expect([401, 403], `${what} (body ${JSON.stringify(answer.body)})`).toContain(answer.status);
        refused(await send(PATHS.sessions, body, { base: SIGNED_API_BASE }), 'unsigned');
        const otherKid = signing!.keyId === 'f'.repeat(40) ? 'e'.repeat(40) : 'f'.repeat(40);
        refused(
          await send(PATHS.sessions, body, { base: SIGNED_API_BASE, headers: { authorization: `Bearer ${jwt(body, { kid: otherKid })}` } }),
          'a kid the account does not publish',
        );
        const other = JSON.stringify({ ...(JSON.parse(body) as Record<string, unknown>), tenant_user_id: newTenantUser() });
        refused(
          await send(PATHS.sessions, other, { base: SIGNED_API_BASE, headers: { authorization: `Bearer ${jwt(body)}` } }),
          'a body other than the one signed',
        );
        const accepted = await send(PATHS.sessions, body, { base: SIGNED_API_BASE, headers: { authorization: `Bearer ${jwt(body)}` } });
        parsed(finqwareSessionCreatedSchema, accepted, 'a signed sessions call');
      },
    );

    it('reads are POSTs too: a GET on consents/get or accounts/get is not served', async () => {
      for (const path of [PATHS.consentsGet, PATHS.accountsGet]) {
        const answer = await send(path, '', { method: 'GET' });
        expect(answer.status, `GET ${path}`).toBeGreaterThanOrEqual(400);
      }
    });

    it('refuses a body that is not JSON, with the full error shape', async () => {
      const answer = await send(PATHS.tokens, `client_id=${encodeURIComponent(target.clientId)}`, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      fullError(answer, { status: 400, type: 'invalid_request' }, 'a form-encoded body');
    });
  });
}
