import { randomBytes, randomUUID } from 'node:crypto';
import {
  NONCE_ERRORS,
  NONCE_TTL_MS,
  type ConsentStatusWire,
  type DocumentPage,
  type StepKind,
  type TransactionStatusWire,
} from '@guidepost/provider-contracts/finqware';
import type { Skill } from './skill';
import { sameSecret } from './credentials';
import type { Refusal } from './errors';

interface IssuedNonce {
  value: string;
  issuedAt: number;
}

export interface OnboardingSession {
  id: string;
  skill: Skill;
  tenantUserId: string;
  /** Index in skill.steps of the next step to submit. */
  next: number;
  /** The step_id whose file upload is awaited before anything else, if any. */
  awaitingUpload: string | null;
  /** The only nonce valid for the session's next call; null once completed. */
  nonce: IssuedNonce | null;
  completed: boolean;
}

export interface SubmittedStep {
  id: string;
  sessionId: string;
  step: string;
  kind: StepKind;
  /** The sides its upload must carry, from the step's data (the document type). */
  pages: readonly DocumentPage[];
}

export interface TempToken {
  sessionId: string;
  skill: string;
  tenantUserId: string;
  used: boolean;
}

export interface ConsentCredentials {
  credentialsId: string;
  accessToken: string;
  skill: string;
  tenantUserId: string;
  createdAt: number;
  /** The last change of state: its creation, or its deletion. */
  updatedAt: number;
  consentExp: number;
  maxDataRetention: number;
  /** When consents/delete first moved it to DELETED; null while it was never deleted. */
  deletedAt: number | null;
}

/** What the control API tells about a consent; never its credentials. */
export interface ConsentRecord {
  tenant_user_id: string;
  skill: string;
  status: ConsentStatusWire;
}

/** What the control API tells about an accepted upload; never the bytes. */
export interface UploadRecord {
  session_id: string;
  step_id: string;
  step: string;
  /** Which side of the document this file is (`front` for a single file). */
  page: DocumentPage;
  size: number;
  sha256: string;
  detected_type: string;
  /** The file name in the multipart part, as the provider received it. */
  file_name: string;
  /** Whether the bytes carry EXIF, XMP or IPTC metadata (images); null for a type not inspected (PDF). */
  metadata: boolean | null;
}

/** A transaction made to arrive on an account after the fact (POST /_control/transactions); see ./transactions.ts. */
export interface TransactionArrival {
  accountId: string;
  /** Its place among the account's arrivals, from 0: what its label, amount and utx_id are drawn from. */
  sequence: number;
  bookedAt: number;
  /** When Finqware "stored" it: the `timestamp` every consent given before it arrived sees. */
  storedAt: number;
  status: TransactionStatusWire;
}

export interface IssuedSecrets {
  nonces: string[];
  temp_tokens: string[];
  access_tokens: string[];
}

// Finqware: consents last 90 days. [ours] Data may be kept 30 days past the consent.
export const CONSENT_TTL_MS = 90 * 24 * 60 * 60 * 1000;
export const DATA_RETENTION_GRACE_MS = 30 * 24 * 60 * 60 * 1000;

function opaqueSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The sandbox's memory: sessions and their nonces, submitted steps, temp tokens, consents and uploads. */
export class FinqwareState {
  private readonly sessions = new Map<string, OnboardingSession>();
  private readonly steps = new Map<string, SubmittedStep>();
  private readonly tempTokens = new Map<string, TempToken>();
  private readonly credentials = new Map<string, ConsentCredentials>();
  private readonly uploadRecords: UploadRecord[] = [];
  /** Transactions made to arrive after the fact, by account id, in the order they arrived. */
  private readonly arrived = new Map<string, TransactionArrival[]>();
  private issued: IssuedSecrets = { nonces: [], temp_tokens: [], access_tokens: [] };

  /** `now` is the sandbox's clock, offset included. */
  constructor(readonly now: () => number) {}

  createSession(skill: Skill, tenantUserId: string): OnboardingSession {
    const session: OnboardingSession = { id: randomUUID(), skill, tenantUserId, next: 0, awaitingUpload: null, nonce: null, completed: false };
    this.sessions.set(session.id, session);
    this.issueNonce(session);
    return session;
  }

  findSession(id: string): OnboardingSession | undefined {
    return this.sessions.get(id);
  }

  /** Replaces the session's nonce: the new one is the only one valid for its next call. */
  issueNonce(session: OnboardingSession): string {
    const value = opaqueSecret();
    session.nonce = { value, issuedAt: this.now() };
    this.issued.nonces.push(value);
    return value;
  }

  /** Null when `given` is the session's current nonce and still fresh. Used nonces are replaced, so they fail as invalid. */
  checkNonce(session: OnboardingSession, given: string): Refusal | null {
    const current = session.nonce;
    if (!current || !sameSecret(given, current.value)) {
      return { code: NONCE_ERRORS.invalid, message: 'The nonce is not the one issued for this call of the session (each nonce works once).' };
    }
    if (this.now() - current.issuedAt >= NONCE_TTL_MS) {
      return { code: NONCE_ERRORS.expired, message: 'The nonce has expired; start a new session.' };
    }
    return null;
  }

  addStep(session: OnboardingSession, step: string, kind: StepKind, pages: readonly DocumentPage[] = ['front']): SubmittedStep {
    const submitted: SubmittedStep = { id: randomUUID(), sessionId: session.id, step, kind, pages };
    this.steps.set(submitted.id, submitted);
    return submitted;
  }

  findStep(id: string): SubmittedStep | undefined {
    return this.steps.get(id);
  }

  /** Ends the session: no further nonce, a temp_token to exchange server-side. */
  complete(session: OnboardingSession): string {
    session.completed = true;
    session.nonce = null;
    session.awaitingUpload = null;
    const value = opaqueSecret();
    this.tempTokens.set(value, { sessionId: session.id, skill: session.skill.skill, tenantUserId: session.tenantUserId, used: false });
    this.issued.temp_tokens.push(value);
    return value;
  }

  /** The temp_token's grant, once; undefined when unknown or already used. */
  redeemTempToken(value: string): TempToken | undefined {
    const token = this.tempTokens.get(value);
    if (!token || token.used) return undefined;
    token.used = true;
    return { ...token };
  }

  createCredentials(grant: TempToken): ConsentCredentials {
    const now = this.now();
    const consentExp = now + CONSENT_TTL_MS;
    const entry: ConsentCredentials = {
      credentialsId: randomUUID(),
      accessToken: opaqueSecret(),
      skill: grant.skill,
      tenantUserId: grant.tenantUserId,
      createdAt: now,
      updatedAt: now,
      consentExp,
      maxDataRetention: consentExp + DATA_RETENTION_GRACE_MS,
      deletedAt: null,
    };
    this.credentials.set(entry.credentialsId, entry);
    this.issued.access_tokens.push(entry.accessToken);
    return { ...entry };
  }

  findCredentials(credentialsId: string): ConsentCredentials | undefined {
    return this.credentials.get(credentialsId);
  }

  /** DELETED from now on; deleting again changes nothing (consents/delete is idempotent). */
  deleteConsent(entry: ConsentCredentials): void {
    if (entry.deletedAt !== null) return;
    entry.deletedAt = this.now();
    entry.updatedAt = entry.deletedAt;
  }

  /** DELETED once deleted, whatever its dates; else EXPIRED from consent_exp on. */
  consentStatus(entry: ConsentCredentials): ConsentStatusWire {
    if (entry.deletedAt !== null) return 'DELETED';
    return this.now() >= entry.consentExp ? 'EXPIRED' : 'ACTIVE';
  }

  /** Every consent ever granted, as the control API tells it: whose, which skill, its state; never a secret. */
  consents(): ConsentRecord[] {
    return [...this.credentials.values()].map((entry) => ({ tenant_user_id: entry.tenantUserId, skill: entry.skill, status: this.consentStatus(entry) }));
  }

  recordUpload(record: UploadRecord): void {
    this.uploadRecords.push({ ...record });
  }

  uploads(): UploadRecord[] {
    return this.uploadRecords.map((record) => ({ ...record }));
  }

  recordArrivals(arrivals: readonly TransactionArrival[]): void {
    for (const arrival of arrivals) {
      const list = this.arrived.get(arrival.accountId) ?? [];
      list.push({ ...arrival });
      this.arrived.set(arrival.accountId, list);
    }
  }

  /** The transactions that arrived on an account, oldest first. */
  arrivalsOf(accountId: string): readonly TransactionArrival[] {
    return this.arrived.get(accountId) ?? [];
  }

  issuedSecrets(): IssuedSecrets {
    return { nonces: [...this.issued.nonces], temp_tokens: [...this.issued.temp_tokens], access_tokens: [...this.issued.access_tokens] };
  }

  reset(): void {
    this.sessions.clear();
    this.steps.clear();
    this.tempTokens.clear();
    this.credentials.clear();
    this.uploadRecords.length = 0;
    this.arrived.clear();
    this.issued = { nonces: [], temp_tokens: [], access_tokens: [] };
  }
}
