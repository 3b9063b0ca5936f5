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
  finqwareConsentDeletedAckSchema,
  finqwareConsentGetSchema,
  finqwareSessionCreatedSchema,
  finqwareStepResponseSchema,
  finqwareTokensSchema,
  finqwareTransactionsSchema,
  type ConsentStatusWire,
  type FinqwareBalancesFilter,
  type FinqwareTransactionsFilter,
  type FinqwareStepResponseWire,
} from '@guidepost/provider-contracts/finqware';

export type FinqwareClientConfig = FinqwareHttpConfig & {
  clientId: string;
  clientAppKey: string;
  /** Server-only: used for token exchange, consents and data. */
  clientSecret: string;
};

/** A step kind Guidepost can render, or 'unknown' so the UI can say it cannot run that skill. */
type SkillStepKind = StepKind | 'unknown';

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

interface FinqwareGrant extends FinqwareCredentials {
  consentExpiresAt: Date;
  maxDataRetention: Date;
}

/** 'revoked' is Finqware's DELETED: what consents/delete makes of a consent. */
type ConsentStatus = 'active' | 'revoked' | 'expired';

interface Consent {
  skillId: string;
  status: ConsentStatus;
  expiresAt: Date;
}

interface Account {
  accountId: string;
  /** The bank, as Finqware names it. */
  servicerName: string;
  /** The account's IBAN, or null when the bank names it by other schemes only (a card). */
  iban: string | null;
  /** As the bank names it (the user's nickname first, when they gave one); often empty. */
  name: string;
  /** As the bank words it, e.g. "Business current account". */
  accountType: string;
  currency: string;
}

interface Balance {
  accountId: string;
  /** A signed decimal string, never a float: negative for a debit (an overdraft). */
  amount: string;
  currency: string;
  /** The ISO 20022 balance type, e.g. ClosingBooked. */
  type: string;
}

/** balances/get's optional narrowing [doc]. */
type BalancesFilter = { accountId?: string; type?: string; currency?: string };

export interface Transaction {
  accountId: string;
  /** The same transaction under every consent [doc]: what a stored copy is keyed on. */
  utxId: string;
  /** When Finqware stored it: an incremental read asks for those stored since the newest it has. */
  storedAt: Date;
  bookedAt: Date;
  /** A signed decimal string, never a float: negative for a debit. */
  amount: string;
  currency: string;
  /** The bank's label. */
  label: string;
  /** [ours] Only "booked" is documented; anything else is not final yet, so it is pending. */
  status: 'booked' | 'pending';
}

/** transactions/get's narrowing we use [doc]: one account, and those stored since a time (incremental sync). */
type TransactionsFilter = { accountId?: string; storedSince?: Date };

export interface FinqwareClient {
  catalog(): Promise<Skill[]>;
  startSession(tenantUserId: string, skillId: string): Promise<{ sessionId: string; nonce: string }>;
  submitStep(input: { sessionId: string; skillId: string; step: string; nonce: string; data: Record<string, unknown> }): Promise<StepResult>;
  /** The step's file, and the document's back in the same request where it has one (DOCUMENT_PAGES). */
  uploadToStep(input: { stepId: string; skillId: string; nonce: string; file: UploadFile; back?: UploadFile }): Promise<StepResult>;
  exchangeTempToken(tempToken: string): Promise<FinqwareGrant>;
  getConsent(credentials: FinqwareCredentials): Promise<Consent>;
  /** Idempotent: revoking a revoked consent succeeds. */
  revokeConsent(credentials: FinqwareCredentials): Promise<void>;
  accounts(tenantUserId: string, credentials: FinqwareCredentials): Promise<Account[]>;
  balances(tenantUserId: string, credentials: FinqwareCredentials, filter?: BalancesFilter): Promise<Balance[]>;
  transactions(tenantUserId: string, credentials: FinqwareCredentials, filter?: TransactionsFilter): Promise<Transaction[]>;
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

const CONSENT_STATUS = { ACTIVE: 'active', DELETED: 'revoked', EXPIRED: 'expired' } as const satisfies Record<ConsentStatusWire, ConsentStatus>;

/** Finqware's amount (≥ 0) and its side as one signed decimal string, by text alone: no float ever holds money. */
function signedAmount(amount: string, side: 'credit' | 'debit'): string {
  return side === 'debit' && /[1-9]/.test(amount) ? `-${amount}` : amount;
}

/** Only the criteria given, or no filter at all: an undefined criterion would still be a key Finqware might refuse. */
function criteria<T extends object>(wire: T): Partial<T> | undefined {
  const given = Object.fromEntries(Object.entries(wire).filter(([, value]) => value !== undefined)) as Partial<T>;
  return Object.keys(given).length > 0 ? given : undefined;
}

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

    async uploadToStep({ stepId, skillId, nonce, file, back }) {
      remember(nonce);
      const fields = { [UPLOAD_FIELDS.clientId]: clientId, [UPLOAD_FIELDS.nonce]: nonce, [UPLOAD_FIELDS.skill]: skillId };
      const more: Record<string, UploadFile> = back ? { [UPLOAD_FIELDS.fileBack]: back } : {};
      return stepResult(await http.upload(PATHS.upload(stepId), fields, file, { schema: finqwareStepResponseSchema, more }));
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
      const { result } = await http.post(PATHS.consentsGet, grantBody(credentials), { schema: finqwareConsentGetSchema, idempotent: true });
      sameGrant(credentials, result.credentials_id);
      return { skillId: result.originator.skill, status: CONSENT_STATUS[result.status], expiresAt: new Date(result.consent_exp) };
    },

    async revokeConsent(credentials) {
      // Idempotent [doc], so a lost answer is safely asked for again; done only once Finqware says DELETED.
      const { result } = await http.post(PATHS.consentsDelete, grantBody(credentials), { schema: finqwareConsentDeletedAckSchema, idempotent: true });
      sameGrant(credentials, result.credentials_id);
    },

    async accounts(tenantUserId, credentials) {
      const accounts = await http.post(
        PATHS.accountsGet,
        { ...grantBody(credentials), tenant_user_id: tenantUserId },
        { schema: finqwareAccountsSchema, idempotent: true },
      );
      return accounts.map(({ id, servicer_name, data }) => ({
        accountId: id,
        servicerName: servicer_name,
        iban: data.account_schemes.find(({ scheme_name }) => scheme_name === 'IBAN')?.identification ?? null,
        name: data.nickname || data.name,
        accountType: data.account_type,
        currency: data.currency,
      }));
    },

    async balances(tenantUserId, credentials, filter) {
      const narrowed = criteria<FinqwareBalancesFilter>({ account_id: filter?.accountId, type: filter?.type, currency: filter?.currency });
      const balances = await http.post(
        PATHS.balancesGet,
        { ...grantBody(credentials), tenant_user_id: tenantUserId, ...(narrowed ? { filter: narrowed } : {}) },
        { schema: finqwareBalancesSchema, idempotent: true },
      );
      return balances.map(({ account_id, data }) => ({
        accountId: account_id,
        amount: signedAmount(data.amount, data.credit_debit_indicator),
        currency: data.currency,
        type: data.type,
      }));
    },

    async transactions(tenantUserId, credentials, filter) {
      const narrowed = criteria<FinqwareTransactionsFilter>({ account_id: filter?.accountId, timestamp_gte: filter?.storedSince?.toISOString() });
      const transactions = await http.post(
        PATHS.transactionsGet,
        { ...grantBody(credentials), tenant_user_id: tenantUserId, ...(narrowed ? { filter: narrowed } : {}) },
        { schema: finqwareTransactionsSchema, idempotent: true },
      );
      return transactions.map(({ account_id, utx_id, timestamp, data }) => ({
        accountId: account_id,
        utxId: utx_id,
        storedAt: new Date(timestamp),
        bookedAt: new Date(data.booking_date_time),
        amount: signedAmount(data.amount, data.credit_debit_indicator),
        currency: data.currency,
        label: data.info,
        status: data.status === 'booked' ? 'booked' : 'pending',
      }));
    },
  };
}

const holder = globalThis as unknown as { __guidepostFinqwareClient?: { key: string; client: FinqwareClient } };

/** The process-wide client for getEnv().finqware; in sandbox mode it calls the sandbox over loopback HTTP like any API. */
export function finqwareClient(): FinqwareClient {
  const { apiUrl, clientId, clientAppKey, clientSecret, signing } = getEnv().finqware;
  // Hashed: the key would otherwise keep a second copy of the secret and the signing key's PEM.
  const key = createHash('sha256')
    .update(JSON.stringify([apiUrl, clientId, clientAppKey, clientSecret, signing?.email ?? null, signing?.keyId ?? null, signing?.privateKeyPem ?? null]))
    .digest('hex');
  // Rebuilt only when the configuration changes, which happens in tests, never in a running server.
  if (holder.__guidepostFinqwareClient?.key !== key) {
    holder.__guidepostFinqwareClient = { key, client: createFinqwareClient({ apiUrl, clientId, clientAppKey, clientSecret, signing }) };
  }
  return holder.__guidepostFinqwareClient.client;
}
