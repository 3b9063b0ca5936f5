// Where Finqware's public documentation is silent, Guidepost makes one choice, here, and the sandbox
// (@guidepost/sandbox/finqware) implements the same one. Changing a choice is one edit in this file.
// See ../shared/PROVIDERS.md: [doc] stated by Finqware's public docs, [ours] our choice where they are silent.

/** Bases: plain API keys, or the same plus a signed JWT per request (recommended for production). */
export const API_BASE = '/v1';
export const SIGNED_API_BASE = '/v1s';

export const PATHS = {
  sessions: '/sessions',
  steps: (sessionId: string) => `/sessions/${encodeURIComponent(sessionId)}/steps`,
  // [ours] The upload endpoint is named in the docs but its contract is not public.
  upload: (stepId: string) => `/steps/${encodeURIComponent(stepId)}/upload`,
  tokens: '/tokens',
  // [ours] The Catalogs API contract is not public.
  catalog: '/catalogs/get',
  consentsGet: '/consents/get',
  consentsDelete: '/consents/delete',
  accountsGet: '/accounts/get',
  balancesGet: '/balances/get',
  transactionsGet: '/transactions/get',
} as const;

/**
 * [ours] Multipart field names of an upload; the file itself is the field `file`, and a document's back
 * (see DOCUMENT_PAGES) the field `file_back` of the same request.
 */
export const UPLOAD_FIELDS = { clientId: 'client_id', nonce: 'nonce', skill: 'skill', file: 'file', fileBack: 'file_back' } as const;

/** Session statuses. [ours] The response that completes the last step carries `temp_token` at the top level with this status. */
export const STATUS = { created: 'SESSION_CREATED', inProgress: 'SESSION_IN_PROGRESS', completed: 'SESSION_COMPLETED' } as const;

/** Nonces and their lifetime [doc: "currently the nonce expires in 30 minutes"]. */
export const NONCE_TTL_MS = 30 * 60 * 1000;

/**
 * [ours] How long Guidepost keeps a temp_token it could not exchange yet. Finqware documents no lifetime
 * for it; we keep it no longer than a nonce lives, then ask the user to restart.
 */
export const TEMP_TOKEN_KEEP_MS = 30 * 60 * 1000;

/**
 * [ours] Error codes for nonce problems, recognised if Finqware ever sends them (the documented list is
 * not exhaustive and names none). Step submissions answer errors as a bare `{ message }` [doc], which is
 * how the sandbox reports a used or expired nonce: no code at all.
 */
export const NONCE_ERRORS = { invalid: 'invalid_nonce', expired: 'expired_nonce' } as const;

/** The step kinds Guidepost knows how to render. A skill's catalog entry lists its steps with one of these kinds. */
export const STEP_KINDS = ['consent', 'product_form', 'personal_data', 'identity_document', 'selfie'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Kinds whose step is complete only after a file upload to its step_id. */
export const UPLOAD_KINDS: readonly StepKind[] = ['identity_document', 'selfie'];

/** [ours] The `document_type` values of an identity_document step's `data`; the docs name the step, not its fields. */
export const DOCUMENT_TYPES = ['passport', 'id_card', 'driving_licence'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** One side of a document, each a file of the upload. */
export type DocumentPage = 'front' | 'back';

/**
 * [ours] Which sides each document shows: a passport's photo page, both sides of an identity card or a
 * driving licence (the back holds the machine-readable zone or the licence's categories). The docs say only
 * that a KYC flow asks for "ID upload and photo/selfies". Every side goes in the one upload that completes
 * the step (one nonce, one answer): the front as `file`, the back as `file_back`; a side the document does
 * not have is refused, like a missing one.
 */
export const DOCUMENT_PAGES: Record<DocumentType, readonly DocumentPage[]> = {
  passport: ['front'],
  id_card: ['front', 'back'],
  driving_licence: ['front', 'back'],
};

/** The sides an upload to a step of this kind carries: those of its document, else one file (a selfie). */
export function uploadPages(kind: StepKind, documentType?: string): readonly DocumentPage[] {
  if (kind === 'identity_document' && documentType !== undefined && Object.hasOwn(DOCUMENT_PAGES, documentType))
    return DOCUMENT_PAGES[documentType as DocumentType];
  return ['front'];
}

/**
 * [ours] Uploads: at most 10 MB per file (a back is another 10 MB), in decimal units (10,000,000 bytes) as
 * every message says; accepted types per kind, checked from the file's bytes.
 */
export const MAX_UPLOAD_BYTES = 10_000_000;
/** The limit as users read it, in every message: "10 MB". */
export const UPLOAD_LIMIT_TEXT = `${MAX_UPLOAD_BYTES / 1_000_000} MB`;
export const UPLOAD_TYPES: Record<'identity_document' | 'selfie', readonly string[]> = {
  identity_document: ['image/jpeg', 'image/png', 'application/pdf'],
  selfie: ['image/jpeg', 'image/png'],
};

/** Audience of the request-signing JWT [doc]. */
export const SIGNING_AUDIENCE = 'api.finqware.com';
/** [ours] Lifetime of a request-signing JWT ("a short exp"). */
export const SIGNING_TTL_SECONDS = 60;
/**
 * The JWT header's `kid` [doc]: the service account key's id, as a Google service-account key file gives
 * it (`private_key_id`, 40 hex digits), which names the key in the account's published JWKS. Not a thumbprint.
 */
export const SIGNING_KEY_ID_PATTERN = /^[0-9a-f]{40}$/;
/** Keys a service account may publish at once, for rotation [doc]. */
export const MAX_SIGNING_KEYS = 10;

/** A consent's states [doc]: consents/delete moves ACTIVE to DELETED; EXPIRED once consent_exp has passed. */
export const CONSENT_STATUSES = ['ACTIVE', 'DELETED', 'EXPIRED'] as const;
export type ConsentStatusWire = (typeof CONSENT_STATUSES)[number];

/**
 * Balance types [doc]: ISO 20022 names. The documented list ends with "…", so the wire schema takes any
 * name and this list is what the sandbox draws from.
 */
export const BALANCE_TYPES = [
  'ClosingAvailable',
  'ClosingBooked',
  'ClosingCleared',
  'Expected',
  'ForwardAvailable',
  'Information',
  'InterimAvailable',
  'InterimBooked',
  'InterimCleared',
  'OpeningAvailable',
  'OpeningBooked',
  'OpeningCleared',
  'PreviouslyClosedBooked',
] as const;

/**
 * A transaction's `status` as transactions/get gives it and its filter takes it: "booked" [doc: the
 * example, and the filter's "eg: booked"]; [ours] "pending" for one the bank has not booked yet (the
 * docs name no other value). The wire schema takes any status; the filter and the sandbox these two.
 */
export const TRANSACTION_STATUSES = ['booked', 'pending'] as const;
export type TransactionStatusWire = (typeof TRANSACTION_STATUSES)[number];

/** Error types [doc] for 4xx answers; 5xx answers are Finqware's internal errors. */
export const ERROR_TYPES = ['invalid_request', 'unauthorized', 'external_api_error'] as const;

/**
 * [ours] Whether a skill's consent reads bank data (accounts, balances, transactions). Skill ids name the servicer,
 * the product type and the environment (`xyz_aisp_sbx_#1.0`) [doc]; the account-information type is `aisp`.
 */
export function isAccountInformationSkill(skillId: string): boolean {
  return skillId.split('#')[0]!.split('_').includes(ACCOUNT_INFORMATION_TYPE);
}

/** The product type segment of an account-information skill's id (a database query matches it too). */
export const ACCOUNT_INFORMATION_TYPE = 'aisp';
