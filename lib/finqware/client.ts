import 'server-only';
import { createHash } from 'node:crypto';
import { getEnv } from '@/lib/env';
import { rememberSecret } from '@/lib/secrets/known';
import { PATHS, STATUS, STEP_KINDS, UPLOAD_FIELDS, type StepKind } from '@guidepost/provider-contracts/finqware';
import { FinqwareError } from './errors';
import { createFinqwareHttp, type FinqwareHttpConfig, type UploadFile } from './http';
import {
  finqwareAccountsSchema,
  finqwareBalancesSchema,
  finqwareCatalogSchema,
  finqwareConsentRevokedSchema,
  finqwareConsentSchema,
  finqwareSessionCreatedSchema,
  finqwareStepResponseSchema,
  finqwareTokensSchema,
  type FinqwareStepResponseWire,
} from '@guidepost/provider-contracts/finqware';

export type { UploadFile } from './http';

export type FinqwareClientConfig = FinqwareHttpConfig & {
  clientId: string;
  clientAppKey: string;
  /** Server-only: used for token exchange, consents and data. */
  clientSecret: string;
};

/** A step kind Guidepost can render, or 'unknown' so the UI can say it cannot run that skill. */
export type SkillStepKind = StepKind | 'unknown';

export interface Skill {
  id: string;
  name: string;
  description: string;
  steps: { name: string; kind: SkillStepKind }[];
}

export type StepResult = { stepId: string; status: 'in_progress'; nonce: string } | { stepId: string; status: 'completed'; tempToken: string };

/** A user's grant. Both halves are secrets that never leave the server or reach logs. */
export interface FinqwareCredentials {
  credentialsId: string;
  accessToken: string;
}

export interface FinqwareGrant extends FinqwareCredentials {
  consentExpiresAt: Date;
  maxDataRetention: Date;
}

export type ConsentStatus = 'active' | 'revoked' | 'expired';

export interface Consent {
  skillId: string;
  status: ConsentStatus;
  expiresAt: Date;
}

export interface Account {
  accountId: string;
  iban: string;
  name: string;
  currency: string;
}

export interface Balance {
  accountId: string;
  /** A decimal string, never a float. */
  amount: string;
  currency: string;
  type: string;
}

export interface FinqwareClient {
  catalog(): Promise<Skill[]>;
  startSession(tenantUserId: string, skillId: string): Promise<{ sessionId: string; nonce: string }>;
  submitStep(input: { sessionId: string; skillId: string; step: string; nonce: string; data: Record<string, unknown> }): Promise<StepResult>;
  uploadToStep(input: { stepId: string; skillId: string; nonce: string; file: UploadFile }): Promise<StepResult>;
  exchangeTempToken(tempToken: string): Promise<FinqwareGrant>;
  getConsent(credentials: FinqwareCredentials): Promise<Consent>;
  /** Idempotent: revoking a revoked consent succeeds. */
  revokeConsent(credentials: FinqwareCredentials): Promise<void>;
  accounts(tenantUserId: string, credentials: FinqwareCredentials): Promise<Account[]>;
  balances(tenantUserId: string, credentials: FinqwareCredentials): Promise<Balance[]>;
}

const KNOWN_KINDS: ReadonlySet<string> = new Set(STEP_KINDS);

// Every secret that enters through this client, from Finqware or from our storage, is known to the
// logger from then on (lib/secrets/known.ts), whatever key or sentence it would appear in.
function remember(...values: (string | undefined)[]): void {
  for (const value of values) rememberSecret(value);
}

function stepResult(wire: FinqwareStepResponseWire): StepResult {
  remember(wire.status === STATUS.completed ? wire.temp_token : wire.nonce);
  return wire.status === STATUS.completed
    ? { stepId: wire.step_id, status: 'completed', tempToken: wire.temp_token }
    : { stepId: wire.step_id, status: 'in_progress', nonce: wire.nonce };
}

const CONSENT_STATUS = { ACTIVE: 'active', REVOKED: 'revoked', EXPIRED: 'expired' } as const satisfies Record<string, ConsentStatus>;

export function createFinqwareClient(config: FinqwareClientConfig): FinqwareClient {
  const http = createFinqwareHttp(config);
  const { clientId, clientAppKey, clientSecret } = config;

  function grantBody(credentials: FinqwareCredentials) {
    // The grant comes from our database, opened for this call.
    remember(credentials.accessToken, credentials.credentialsId);
    return { client_id: clientId, client_secret: clientSecret, credentials_id: credentials.credentialsId, access_token: credentials.accessToken };
  }

  // An answer about another grant would be a mix-up at Finqware's end: refuse it rather than show it.
  function sameGrant(credentials: FinqwareCredentials, credentialsId: string): void {
    if (credentialsId !== credentials.credentialsId) throw new FinqwareError('invalid_response');
  }

  return {
    async catalog() {
      const skills = await http.post(PATHS.catalog, { client_id: clientId, client_app_key: clientAppKey }, { schema: finqwareCatalogSchema, idempotent: true });
      return skills.map((skill) => ({
        id: skill.skill,
        name: skill.name,
        description: skill.description,
        steps: skill.steps.map((step) => ({ name: step.step, kind: KNOWN_KINDS.has(step.kind) ? (step.kind as StepKind) : 'unknown' })),
      }));
    },

    async startSession(tenantUserId, skillId) {
      // Not retried: a lost answer may have opened a session whose nonce we never saw.
      const session = await http.post(
        PATHS.sessions,
        { tenant_user_id: tenantUserId, client_id: clientId, client_app_key: clientAppKey, skill: skillId },
        { schema: finqwareSessionCreatedSchema, idempotent: false },
      );
      remember(session.nonce);
      return { sessionId: session.session_id, nonce: session.nonce };
    },

    async submitStep({ sessionId, skillId, step, nonce, data }) {
      remember(nonce);
      const wire = await http.post(
        PATHS.steps(sessionId),
        { client_id: clientId, nonce, skill: skillId, step, data },
        { schema: finqwareStepResponseSchema, idempotent: false, spendsNonce: true },
      );
      return stepResult(wire);
    },

    async uploadToStep({ stepId, skillId, nonce, file }) {
      remember(nonce);
      const fields = { [UPLOAD_FIELDS.clientId]: clientId, [UPLOAD_FIELDS.nonce]: nonce, [UPLOAD_FIELDS.skill]: skillId };
      return stepResult(await http.upload(PATHS.upload(stepId), fields, file, { schema: finqwareStepResponseSchema }));
    },

    async exchangeTempToken(tempToken) {
      remember(tempToken);
      // Not retried: a temp_token is good for one exchange.
      const tokens = await http.post(
        PATHS.tokens,
        { client_id: clientId, client_secret: clientSecret, temp_token: tempToken },
        { schema: finqwareTokensSchema, idempotent: false },
      );
      remember(tokens.access_token, tokens.credentials_id);
      return {
        credentialsId: tokens.credentials_id,
        accessToken: tokens.access_token,
        consentExpiresAt: new Date(tokens.consent_exp),
        maxDataRetention: new Date(tokens.max_data_retention),
      };
    },

    async getConsent(credentials) {
      const consent = await http.post(PATHS.consentsGet, grantBody(credentials), { schema: finqwareConsentSchema, idempotent: true });
      sameGrant(credentials, consent.credentials_id);
      return { skillId: consent.skill, status: CONSENT_STATUS[consent.status], expiresAt: new Date(consent.consent_exp) };
    },

    async revokeConsent(credentials) {
      // Idempotent [doc], so a lost answer is safely asked for again.
      const revoked = await http.post(PATHS.consentsDelete, grantBody(credentials), { schema: finqwareConsentRevokedSchema, idempotent: true });
      sameGrant(credentials, revoked.credentials_id);
    },

    async accounts(tenantUserId, credentials) {
      const accounts = await http.post(
        PATHS.accountsGet,
        { ...grantBody(credentials), tenant_user_id: tenantUserId },
        { schema: finqwareAccountsSchema, idempotent: true },
      );
      return accounts.map((a) => ({ accountId: a.account_id, iban: a.iban, name: a.name, currency: a.currency }));
    },

    async balances(tenantUserId, credentials) {
      const balances = await http.post(
        PATHS.balancesGet,
        { ...grantBody(credentials), tenant_user_id: tenantUserId },
        { schema: finqwareBalancesSchema, idempotent: true },
      );
      return balances.map((b) => ({ accountId: b.account_id, amount: b.amount, currency: b.currency, type: b.type }));
    },
  };
}

const holder = globalThis as unknown as { __guidepostFinqwareClient?: { key: string; client: FinqwareClient } };

/** The process-wide client for getEnv().finqware; in sandbox mode it calls the sandbox over loopback HTTP like any API. */
export function finqwareClient(): FinqwareClient {
  const { apiUrl, clientId, clientAppKey, clientSecret, signing } = getEnv().finqware;
  // Hashed: the key would otherwise keep a second copy of the secret and the signing key's PEM.
  const key = createHash('sha256')
    .update(JSON.stringify([apiUrl, clientId, clientAppKey, clientSecret, signing?.email ?? null, signing?.privateKeyPem ?? null]))
    .digest('hex');
  // Rebuilt only when the configuration changes, which happens in tests, never in a running server.
  if (holder.__guidepostFinqwareClient?.key !== key) {
    holder.__guidepostFinqwareClient = { key, client: createFinqwareClient({ apiUrl, clientId, clientAppKey, clientSecret, signing }) };
  }
  return holder.__guidepostFinqwareClient.client;
}
