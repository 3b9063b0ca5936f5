import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  // Stored lower-cased: one account per address whatever its case.
  email: text('email').notNull().unique(),
  passwordHash: text('password_hash').notNull(),
  createdAt: createdAt(),
  passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
  lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
  // IANA zone reported by the browser at sign-up or login (null: unknown, dates shown in Europe/Paris).
  timeZone: text('time_zone'),
  // 'fr' or 'en', saved when the user picks a language with the switch (null: the browser's languages decide).
  locale: text('locale'),
  // When the user proved they receive mail at `email` (the link sent at sign-up); null: not yet, and guidance and
  // onboarding stay closed (lib/auth/dal.ts requireVerifiedUser).
  emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
  // Opted in on the account page: an email, besides the portal's notice, when Bridge says new guidance is ready.
  guidanceEmail: boolean('guidance_email').notNull().default(false),
});

// One row per login. The session cookie only names the row; revoking the row ends the session.
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    // When the user last typed their password in this session (login or re-authentication).
    authenticatedAt: timestamp('authenticated_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    userAgent: text('user_agent'),
    // The session this one replaced when the user typed their password again (the id is rotated then).
    rotatedFrom: uuid('rotated_from'),
    // Set: a phone's session opened by this hand-off link, which opens that one onboarding step and nothing
    // else (lib/auth/dal.ts, lib/handoff/access.ts). Deleting the hand-off deletes the session with it: a
    // hand-off session must never outlive its scope as a full one.
    handoffId: uuid('handoff_id').references(() => phoneHandoffs.id, { onDelete: 'cascade' }),
    // Set: the password was right but the login is not finished. 'verify': the user has a second factor and must
    // give it; 'enrol': REQUIRE_2FA and the user has none yet. Such a session opens the second-factor page only
    // (lib/auth/dal.ts) and lives a few minutes; giving the factor rotates it into a full session.
    secondFactor: text('second_factor').$type<'verify' | 'enrol'>(),
    // The WebAuthn challenge this session was last given (a passkey's registration or sign-in), taken once.
    webauthnChallenge: text('webauthn_challenge'),
    webauthnChallengeExpiresAt: timestamp('webauthn_challenge_expires_at', { withTimezone: true }),
  },
  (t) => [index('auth_sessions_user_id_idx').on(t.userId)],
);

export const companyProfiles = pgTable('company_profiles', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  companyName: text('company_name'),
  countryCode: text('country_code').notNull(),
  identificationNumber: text('identification_number').notNull(),
  language: text('language').notNull(),
  contactEmail: text('contact_email').notNull(),
  contactPhone: text('contact_phone'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// The Bridge user of a portal user, created on first need. external_user_id is the portal user's id:
// stable and opaque (never the email).
export const bridgeUsers = pgTable('bridge_users', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  bridgeUserUuid: uuid('bridge_user_uuid').notNull().unique(),
  createdAt: createdAt(),
});

// Guidance sessions opened through the portal. The password is never here: it lives encrypted in the
// short-lived secret store (lib/secrets) only.
export const guidanceSessions = pgTable(
  'guidance_sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    companyIdentificationNumber: text('company_identification_number').notNull(),
    createdAt: createdAt(),
    // Until when the password may be shown again; the store forgets it at the same moment.
    passwordExpiresAt: timestamp('password_expires_at', { withTimezone: true }).notNull(),
    // held | deleted (after use) | expired | invalidated (suspected leak)
    passwordState: text('password_state').notNull().default('held'),
    invalidatedAt: timestamp('invalidated_at', { withTimezone: true }),
    replacedBy: text('replaced_by'),
  },
  (t) => [index('guidance_sessions_user_id_idx').on(t.userId, t.createdAt)],
);

// What happened to each guidance password, for the user to see. Never the password itself.
export const guidanceAudit = pgTable(
  'guidance_audit',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    guidanceSessionId: text('guidance_session_id').notNull(),
    action: text('action').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('guidance_audit_user_id_idx').on(t.userId, t.at)],
);

// Every verified provider webhook, once (the dedupe key hashes the event's content, not its bytes), and
// the queue of work it asks for: the worker (lib/webhooks/worker.ts) claims due events with
// FOR UPDATE SKIP LOCKED, retries failures with backoff and dead-letters after a bounded number of attempts.
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    provider: text('provider').notNull(),
    dedupeKey: text('dedupe_key').notNull().unique(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    eventTimestamp: timestamp('event_timestamp', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    // Processing attempts so far (a claim counts, so a crash mid-way counts too).
    attempts: integer('attempts').notNull().default(0),
    // When the event is next due; a claim moves it one lease ahead, so a dead worker's event comes back.
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    // The last failure as a code (never a message or a payload value).
    lastError: text('last_error'),
    // Set when the attempts ran out: no worker takes it again unless Bridge delivers it again.
    deadAt: timestamp('dead_at', { withTimezone: true }),
  },
  (t) => [
    index('webhook_events_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.processedAt} is null and ${t.deadAt} is null`),
  ],
);

export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    companyIdentificationNumber: text('company_identification_number'),
    eventId: uuid('event_id').references(() => webhookEvents.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  // One notification per event: a worker that processes an event twice (after a crash) adds nothing.
  (t) => [index('notifications_user_id_idx').on(t.userId, t.createdAt), uniqueIndex('notifications_event_id_unique').on(t.eventId)],
);

// "Open a new session" requests already taken, by the key the page's form carries: a double click or a
// resent form opens one Bridge session, not two. Rows older than a day are swept.
export const guidanceOpenRequests = pgTable(
  'guidance_open_requests',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    requestKey: text('request_key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.requestKey] })],
);

// A user's onboarding onto one Finqware product (skill). The server decides the current step; the
// current nonce is held encrypted so the user can resume anywhere.
export const onboardings = pgTable(
  'onboardings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    skillId: text('skill_id').notNull(),
    skillName: text('skill_name').notNull(),
    // The skill's steps as the catalog listed them when the onboarding started: [{ name, kind }].
    steps: jsonb('steps').$type<Array<{ name: string; kind: string }>>().notNull(),
    finqwareSessionId: text('finqware_session_id'),
    // in_progress | exchange_pending (temp_token held, exchange to do) | exchange_lost (Finqware used the
    // temp_token but its answer never reached us: restart needed) | completed | revoked
    status: text('status').notNull().default('in_progress'),
    currentStep: integer('current_step').notNull().default(0),
    // The current step is submitted and waits for its file (identity document, selfie).
    awaitingUpload: boolean('awaiting_upload').notNull().default(false),
    currentStepId: text('current_step_id'),
    nonceSealed: text('nonce_sealed'),
    nonceIssuedAt: timestamp('nonce_issued_at', { withTimezone: true }),
    // Set while one request talks to Finqware for this onboarding: a second click or tab waits its turn.
    submittingSince: timestamp('submitting_since', { withTimezone: true }),
    // Finqware's error id of the last failure the user was shown, for support (an identifier, never a secret).
    lastErrorRef: text('last_error_ref'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [index('onboardings_user_id_idx').on(t.userId, t.createdAt)],
);

// What the user sent at each step (encrypted: it is personal data), shown again when they go back.
export const onboardingSteps = pgTable(
  'onboarding_steps',
  {
    onboardingId: uuid('onboarding_id')
      .notNull()
      .references(() => onboardings.id, { onDelete: 'cascade' }),
    stepIndex: integer('step_index').notNull(),
    stepId: text('step_id'),
    answersSealed: text('answers_sealed').notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.onboardingId, t.stepIndex] })],
);

// "Continue on my phone": single-use links that open one onboarding step on a phone without the password
// (lib/handoff). Only a SHA-256 of the token is kept, so a copy of the table opens nothing; a token is taken
// once (used_at), ends after HANDOFF_TTL_SECONDS, and is revoked by a newer one for the same step or when the
// desktop moves on (the step is done, the onboarding restarts).
export const phoneHandoffs = pgTable(
  'phone_handoffs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    onboardingId: uuid('onboarding_id')
      .notNull()
      .references(() => onboardings.id, { onDelete: 'cascade' }),
    stepIndex: integer('step_index').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('phone_handoffs_step_idx').on(t.onboardingId, t.stepIndex)],
);

// "Forgot your password?": one row per link sent. Only the token's SHA-256 is kept; a link works once (used_at),
// until expires_at, and a new link or a password change makes the older ones useless (deleted).
export const passwordResetTokens = pgTable(
  'password_reset_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('password_reset_tokens_user_idx').on(t.userId)],
);

// The link sent at sign-up to confirm the address: one row per link, the token's SHA-256 only, 24 hours, once.
export const emailVerificationTokens = pgTable(
  'email_verification_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('email_verification_tokens_user_idx').on(t.userId)],
);

// Two-step sign-in (lib/auth/two-factor). An authenticator app per user: its RFC 6238 secret sealed at rest, confirmed
// by a first code; `last_used_step` is the time step of the last code taken, so no code works twice.
export const totpAuthenticators = pgTable('totp_authenticators', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id')
    .notNull()
    .unique()
    .references(() => users.id, { onDelete: 'cascade' }),
  secretSealed: text('secret_sealed').notNull(),
  createdAt: createdAt(),
  // Null: set up but not confirmed by a first code yet (it does not count as a factor).
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  lastUsedStep: bigint('last_used_step', { mode: 'number' }),
});

// Passkeys (WebAuthn credentials): the public key only, as the authenticator gave it.
export const passkeys = pgTable(
  'passkeys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // base64url, as WebAuthn names it.
    credentialId: text('credential_id').notNull().unique(),
    publicKey: text('public_key').notNull(),
    counter: bigint('counter', { mode: 'number' }).notNull().default(0),
    transports: text('transports'),
    name: text('name').notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [index('passkeys_user_idx').on(t.userId)],
);

// Ten single-use recovery codes per user, for a lost phone or authenticator: their SHA-256 only.
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    createdAt: createdAt(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('recovery_codes_user_code_idx').on(t.userId, t.codeHash)],
);

// The result of a finished onboarding: Finqware's access token and credentials id, encrypted at rest.
export const finqwareCredentials = pgTable('finqware_credentials', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  onboardingId: uuid('onboarding_id')
    .notNull()
    .unique()
    .references(() => onboardings.id, { onDelete: 'cascade' }),
  credentialsIdSealed: text('credentials_id_sealed').notNull(),
  accessTokenSealed: text('access_token_sealed').notNull(),
  consentExpiresAt: timestamp('consent_expires_at', { withTimezone: true }).notNull(),
  maxDataRetention: timestamp('max_data_retention', { withTimezone: true }).notNull(),
  createdAt: createdAt(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  // Reading the consent's bank data (lib/bank-data/sync.ts). The last read that succeeded:
  syncedAt: timestamp('synced_at', { withTimezone: true }),
  // The newest Finqware `timestamp` (when it stored a transaction) we hold: the next read asks from there (timestamp_gte).
  syncCursor: timestamp('sync_cursor', { withTimezone: true }),
  // The last read tried, succeeded or not: the background refresh waits BANK_SYNC_INTERVAL_HOURS after it.
  syncAttemptedAt: timestamp('sync_attempted_at', { withTimezone: true }),
  // Set while one process reads this consent: a second click or the background refresh leaves it alone (a lease).
  syncingSince: timestamp('syncing_since', { withTimezone: true }),
  // The last read's failure as our code (never Finqware's message), and Finqware's error id for support; null after a success.
  syncError: text('sync_error'),
  syncErrorRef: text('sync_error_ref'),
});

// What a consent lets Guidepost read (lib/bank-data): the user's bank accounts, one row per Finqware account id,
// kept until the consent is revoked or expires or its max_data_retention passes (lib/bank-data/retention.ts).
// The IBAN is kept masked only: the portal never shows more.
export const bankAccounts = pgTable(
  'bank_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // The consent that last read it: its end deletes the account and its transactions.
    credentialsRowId: uuid('credentials_row_id')
      .notNull()
      .references(() => finqwareCredentials.id, { onDelete: 'cascade' }),
    finqwareAccountId: text('finqware_account_id').notNull(),
    servicerName: text('servicer_name').notNull(),
    name: text('name').notNull(),
    ibanMasked: text('iban_masked'),
    accountType: text('account_type').notNull(),
    currency: text('currency').notNull(),
    // [{ type (ISO 20022), amount (signed decimal string), currency }] as balances/get gave them at readAt.
    balances: jsonb('balances').$type<Array<{ type: string; amount: string; currency: string }>>().notNull(),
    readAt: timestamp('read_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('bank_accounts_user_account_idx').on(t.userId, t.finqwareAccountId), index('bank_accounts_credentials_idx').on(t.credentialsRowId)],
);

// An account's transactions, one row per Finqware utx_id (the same transaction under every consent [doc]).
export const bankTransactions = pgTable(
  'bank_transactions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accountRowId: uuid('account_row_id')
      .notNull()
      .references(() => bankAccounts.id, { onDelete: 'cascade' }),
    utxId: text('utx_id').notNull(),
    // When Finqware stored it (the incremental read's criterion).
    storedAt: timestamp('stored_at', { withTimezone: true }).notNull(),
    bookedAt: timestamp('booked_at', { withTimezone: true }).notNull(),
    // Signed: negative for a debit. numeric, never a float.
    amount: numeric('amount').notNull(),
    currency: text('currency').notNull(),
    label: text('label').notNull(),
    // The label lower-cased without accents (lib/bank-data/search-text.ts): "prelevement" finds "PRÉLÈVEMENT".
    searchText: text('search_text').notNull(),
    // booked | pending
    status: text('status').notNull(),
  },
  (t) => [
    uniqueIndex('bank_transactions_user_utx_idx').on(t.userId, t.utxId),
    // The account's page: newest first, a page at a time.
    index('bank_transactions_account_booked_idx').on(t.accountRowId, t.bookedAt.desc(), t.id.desc()),
  ],
);

export type User = typeof users.$inferSelect;
export type AuthSession = typeof authSessions.$inferSelect;
export type PasskeyRow = typeof passkeys.$inferSelect;
export type CompanyProfileRow = typeof companyProfiles.$inferSelect;
export type GuidanceSessionRow = typeof guidanceSessions.$inferSelect;
export type GuidanceAuditRow = typeof guidanceAudit.$inferSelect;
export type NotificationRow = typeof notifications.$inferSelect;
export type OnboardingRow = typeof onboardings.$inferSelect;
export type FinqwareCredentialsRow = typeof finqwareCredentials.$inferSelect;
export type BankAccountRow = typeof bankAccounts.$inferSelect;
export type BankTransactionRow = typeof bankTransactions.$inferSelect;
export type WebhookEventRow = typeof webhookEvents.$inferSelect;
export type PhoneHandoffRow = typeof phoneHandoffs.$inferSelect;

// Emails waiting for the SMTP server (lib/mail/outbox.ts): stored before the response that promised them, deleted
// once sent. The message (address, subject, text and HTML; a reset link is a secret) is sealed at rest, bound to the
// row's id; kind and user id stay readable for the log lines. A failed send is retried with backoff until
// expires_at (the end of the link it carries, else 24 hours), then dropped with an error line.
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    // No foreign key: the account-deleted email outlives its account.
    userId: uuid('user_id'),
    messageSealed: text('message_sealed').notNull(),
    createdAt: createdAt(),
    // Sending attempts so far (a claim counts, so a crash mid-way counts too).
    attempts: integer('attempts').notNull().default(0),
    // When the email is next due; a claim moves it one lease ahead, so a dead worker's email comes back.
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    // Never sent after this: its link no longer works, or it is a day late.
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    // The last failure as the SMTP error code (never the server's message, which may quote the address).
    lastError: text('last_error'),
  },
  (t) => [index('mail_outbox_due_idx').on(t.nextAttemptAt)],
);
