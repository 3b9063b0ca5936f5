import 'server-only';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { deploymentReasons } from '@/lib/deployment';
import { ERROR_BRAND, hasErrorBrand } from '@/lib/errors/brand';
import { finqwareJwksSchema, SIGNING_KEY_ID_PATTERN, type FinqwareJwks } from '@guidepost/provider-contracts/finqware';

// The only reader of process.env. Everything else asks getEnv() for a typed, checked configuration.

const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
/** An optional URL of these protocols, without a trailing slash nor the `drop` suffix (when given). */
const optionalUrl = (protocols: string[], hint: string, drop?: RegExp) =>
  z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .url({ error: `must be a URL (${hint})` })
      .refine((u) => protocols.includes(new URL(u).protocol), { error: `must start with ${protocols.map((p) => `${p}//`).join(' or ')}` })
      .transform((u) => (drop ? u.replace(/\/+$/, '').replace(drop, '') : u.replace(/\/+$/, '')))
      .optional(),
  );

/**
 * A provider's base URL: its origin, with or without the API version path (`…/v3`, `…/v1`, `…/v1s`),
 * which the client adds itself. Accepting both keeps `…/v3` from silently becoming `/v3/v3/…`.
 */
const providerUrl = (hint: string, versionPath: RegExp) => optionalUrl(['https:', 'http:'], hint, versionPath);

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a whole number' })
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be ${min} to ${max}` })
    .max(max, { error: `must be ${min} to ${max}` });

const isBase64Key = (s: string) => Buffer.from(s, 'base64').length === 32;

const base64Key = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .string()
    .refine(isBase64Key, {
      error: 'must be 32 random bytes in base64 (generate one with `openssl rand -base64 32`)',
    })
    .optional(),
);

/** A comma-separated variable as its trimmed, non-empty entries; unset or empty is unset. */
function commaList(value: unknown): string[] | undefined {
  if (value === '' || value === undefined) return undefined;
  return String(value)
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

// Older encryption keys, comma-separated: they still open what was sealed before a rotation, never seal.
const base64KeyList = z.preprocess(
  commaList,
  z
    .array(z.string())
    .superRefine((keys, ctx) => {
      // Positions only: a key is never echoed.
      const bad = keys.flatMap((key, index) => (isBase64Key(key) ? [] : [index + 1]));
      if (bad.length > 0) {
        ctx.addIssue({ code: 'custom', message: `key ${bad.join(', ')} of the list is not 32 random bytes in base64 (keys are separated by commas)` });
      }
    })
    .optional(),
);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number({ error: 'must be a port number' }).int().min(1).max(65535).default(3000),
  // Read by scripts/server.mjs too (lib/deployment.ts): where the server listens.
  HOST: optionalString,
  GUIDEPOST_DEPLOYMENT: optionalString,
  // How many reverse proxies in front of the server append to X-Forwarded-For (0: none, use the socket address).
  TRUSTED_PROXY_HOPS: wholeNumber(0, 10).default(0),
  APP_URL: optionalUrl(['http:', 'https:'], 'the public address of the portal, e.g. https://portal.example.com'),
  AUTH_SECRET: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string().min(32, { error: 'must be at least 32 characters (generate one with `openssl rand -base64 32`)' }).optional(),
  ),
  ENCRYPTION_KEY: base64Key,
  ENCRYPTION_KEYS_PREVIOUS: base64KeyList,
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:'], 'postgres://user@host:5432/database'),
  PGLITE_DIR: z.string().min(1).default('.data/pglite'),
  REDIS_URL: optionalUrl(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BRIDGE_API_URL: providerUrl('https://api.bridgeapi.io', /\/v3$/),
  BRIDGE_CLIENT_ID: optionalString,
  BRIDGE_CLIENT_SECRET: optionalString,
  BRIDGE_VERSION: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date like 2025-01-15' })
    .default('2025-01-15'),
  BRIDGE_WEBHOOK_SECRETS: z.preprocess(
    commaList,
    z
      .array(z.string().min(16, { error: 'each secret must be at least 16 characters' }))
      .max(2, { error: 'holds at most two secrets (current and previous)' })
      .optional(),
  ),
  FINQWARE_API_URL: providerUrl('https://api.finqware.com', /\/v1s?$/),
  FINQWARE_CLIENT_ID: optionalString,
  FINQWARE_CLIENT_APP_KEY: optionalString,
  FINQWARE_CLIENT_SECRET: optionalString,
  FINQWARE_SIGNING_KEY: z.preprocess(
    (v) => (v === '' ? undefined : typeof v === 'string' ? v.replace(/\\n/g, '\n') : v),
    z.string().includes('PRIVATE KEY', { error: 'must be a PEM private key (PKCS#8)' }).optional(),
  ),
  FINQWARE_SIGNING_EMAIL: z.preprocess((v) => (v === '' ? undefined : v), z.email({ error: 'must be the service account email' }).optional()),
  // The JWT's kid: the key file's private_key_id. Google writes it in lower case, as its JWKS names the key.
  FINQWARE_SIGNING_KEY_ID: z.preprocess(
    (v) => (v === '' ? undefined : typeof v === 'string' ? v.trim().toLowerCase() : v),
    z.string().regex(SIGNING_KEY_ID_PATTERN, { error: 'must be the key id: 40 hex digits, the private_key_id of the service account key file' }).optional(),
  ),
  // The public keys the Finqware sandbox checks /v1s signatures against, as a JWKS in JSON (what Google publishes for the account).
  FINQWARE_SANDBOX_JWKS: z.preprocess((v, ctx) => {
    if (v === '' || v === undefined) return undefined;
    try {
      return JSON.parse(String(v));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JWKS in JSON: { "keys": [{ "kid", "kty": "RSA", "n", "e", "alg": "RS256", "use": "sig" }] }' });
      return z.NEVER;
    }
  }, finqwareJwksSchema.optional()),
  GUIDANCE_PASSWORD_TTL_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int()
    .min(30, { error: 'must be at least 30 seconds' })
    .max(1800, { error: 'must be at most 1800 seconds (30 minutes, Bridge’s limit)' })
    .default(1800),
  GUIDANCE_OPEN_LIMIT: wholeNumber(1, 100).default(5),
  GUIDANCE_OPEN_WINDOW_SECONDS: wholeNumber(60, 86_400).default(600),
  WEBHOOK_MAX_ATTEMPTS: wholeNumber(1, 50).default(8),
  WEBHOOK_RETRY_BASE_SECONDS: wholeNumber(1, 3600).default(30),
  WEBHOOK_LEASE_SECONDS: wholeNumber(1, 3600).default(120),
  WEBHOOK_POLL_SECONDS: wholeNumber(1, 300).default(5),
  RECENT_LOGIN_SECONDS: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int()
    .min(10, { error: 'must be at least 10 seconds' })
    .max(3600, { error: 'must be at most 3600 seconds' })
    .default(900),
  // Every user must sign in with a second factor (an authenticator app or a passkey): those without one set it up
  // at their next login.
  REQUIRE_2FA: z.preprocess(
    (v) => (v === '' || v === undefined ? 'false' : typeof v === 'string' ? v.trim().toLowerCase() : v),
    z.enum(['true', 'false'], { error: 'must be true or false' }),
  ),
  // Sessions end after this long without the user doing anything (30 minutes; shorter only for tests and demos).
  SESSION_IDLE_SECONDS: wholeNumber(60, 1800).default(1800),
  // How long a "Continue on my phone" link works (10 minutes); shorter only for tests.
  HANDOFF_TTL_SECONDS: wholeNumber(1, 3600).default(600),
  // Where users get help, in every page's footer; either, both or neither.
  SUPPORT_EMAIL: z.preprocess((v) => (v === '' ? undefined : v), z.email({ error: 'must be an email address' }).optional()),
  SUPPORT_URL: optionalUrl(['https:', 'http:'], 'https://help.example.com'),
  // Email: an SMTP server (smtp:// with STARTTLS when offered, smtps:// for TLS from the start; user and password
  // in the URL). Without one, mail goes to the development mailbox (lib/mail/dev-mailbox.ts), never in a deployment.
  SMTP_URL: optionalUrl(['smtp:', 'smtps:'], 'smtps://user:password@smtp.example.com:465'),
  MAIL_FROM: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(3).max(200).optional()),
  // The wait before the first retry of an email the SMTP server did not take (30 s, then ×4 up to an hour); shorter only for tests.
  MAIL_RETRY_BASE_SECONDS: wholeNumber(1, 3600).default(30),
  // How long a password reset link works (30 minutes); shorter only for tests.
  PASSWORD_RESET_TTL_SECONDS: wholeNumber(1, 1800).default(1800),
  // How often the background refresh reads each consent's bank data (6 hours; a user's "Refresh" reads at once).
  BANK_SYNC_INTERVAL_HOURS: wholeNumber(1, 168).default(6),
});

type RawEnv = z.infer<typeof envSchema>;

// Development defaults for the simulators: the sandbox accepts exactly these when nothing else is configured.
export const SANDBOX_DEFAULTS = {
  BRIDGE_CLIENT_ID: 'sandbox-bridge-client-id',
  BRIDGE_CLIENT_SECRET: 'sandbox-bridge-client-secret',
  BRIDGE_WEBHOOK_SECRET: 'sandbox-bridge-webhook-secret',
  FINQWARE_CLIENT_ID: 'sandbox-finqware-client-id',
  FINQWARE_CLIENT_APP_KEY: 'sandbox-finqware-client-app-key',
  FINQWARE_CLIENT_SECRET: 'sandbox-finqware-client-secret',
} as const;

export class EnvError extends Error {
  readonly [ERROR_BRAND] = 'EnvError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

export function isEnvError(error: unknown): error is EnvError {
  return hasErrorBrand(error, 'EnvError');
}

export interface AppConfig {
  nodeEnv: RawEnv['NODE_ENV'];
  /**
   * A deployment (lib/deployment.ts): the sandbox, generated secrets and weak or public values are
   * refused, and the server listens beyond loopback. Otherwise the local demo.
   */
  deployed: boolean;
  /** Why this configuration is a deployment (empty for the demo). */
  deploymentReasons: string[];
  /** Reverse proxies in front that append to X-Forwarded-For; 0 trusts only the socket address. */
  trustedProxyHops: number;
  port: number;
  appUrl: string;
  authSecret: string;
  /** Seals everything new. */
  encryptionKey: Buffer;
  /** Older keys (ENCRYPTION_KEYS_PREVIOUS) that still open what was sealed before a rotation; empty when not rotating. */
  previousEncryptionKeys: Buffer[];
  /** True when the secrets above were generated for development rather than configured. */
  generatedSecrets: boolean;
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dir: string };
  redisUrl: string | undefined;
  logLevel: RawEnv['LOG_LEVEL'];
  bridge: {
    sandbox: boolean;
    apiUrl: string;
    clientId: string;
    clientSecret: string;
    version: string;
    webhookSecrets: string[];
  };
  finqware: {
    sandbox: boolean;
    apiUrl: string;
    clientId: string;
    clientAppKey: string;
    clientSecret: string;
    signing: { privateKeyPem: string; email: string; keyId: string } | undefined;
    /** The public keys the sandbox verifies /v1s signatures with (FINQWARE_SANDBOX_JWKS); the sandbox only. */
    sandboxJwks: FinqwareJwks | undefined;
  };
  guidancePasswordTtlSeconds: number;
  /** How many guidance sessions a user may open (leak replacements included) per window. */
  guidanceOpenLimit: { points: number; windowSeconds: number };
  /** The webhook worker: attempts before dead-lettering, first retry delay, claim lease, poll interval. */
  webhooks: { maxAttempts: number; retryBaseMs: number; leaseMs: number; pollMs: number };
  /** How recent a password entry must be before a sensitive action (show a guidance password again). */
  recentLoginSeconds: number;
  /** REQUIRE_2FA: every login needs a second factor; users without one set it up first. */
  requireTwoFactor: boolean;
  /** A session ends after this long without activity (30 minutes at most). */
  sessionIdleMs: number;
  /** How long a phone hand-off link works once made (lib/handoff). */
  handoffTtlSeconds: number;
  /** Where users get help (the footer); undefined when not configured. */
  support: { email: string | undefined; url: string | undefined };
  /** Outgoing email: through SMTP when configured, else into the development mailbox; the outbox's first retry delay. */
  mail: { smtpUrl: string | undefined; from: string; retryBaseMs: number };
  /** How long a password reset link works. */
  passwordResetTtlSeconds: number;
  /** The background refresh reads a consent's bank data at most this often (lib/bank-data/worker.ts). */
  bankSyncIntervalMs: number;
}

/**
 * Too few distinct symbols, or one short pattern repeated (all one character, all zero bytes,
 * "abcabcabc…"): not the random value a secret must be. 32 random bytes have about 30 distinct values.
 */
export function looksWeak(value: Uint8Array | string): boolean {
  const symbols: Array<string | number> = typeof value === 'string' ? [...value] : [...value];
  if (new Set(symbols).size < 12) return true;
  for (let period = 1; period <= 16 && period < symbols.length; period++) {
    if (symbols.every((symbol, index) => symbol === symbols[index % period])) return true;
  }
  return false;
}

/** Checks what a real deployment must have; names every missing or unsafe variable. */
function deploymentProblems(raw: RawEnv): string[] {
  const problems: string[] = [];
  const need = (name: keyof RawEnv, why: string) => {
    if (raw[name] === undefined) problems.push(`${name}: is required in a deployment (${why})`);
  };
  need('APP_URL', 'the public https address of the portal');
  if (raw.APP_URL && new URL(raw.APP_URL).protocol !== 'https:') problems.push('APP_URL: must use https in a deployment');
  need('AUTH_SECRET', 'signs and encrypts session cookies');
  need('ENCRYPTION_KEY', 'encrypts provider tokens at rest and guidance passwords in memory');
  need('DATABASE_URL', 'the embedded database is for development and demos');
  need('BRIDGE_API_URL', 'the Bridge sandbox cannot run in production');
  need('BRIDGE_CLIENT_ID', 'Bridge API credentials');
  need('BRIDGE_CLIENT_SECRET', 'Bridge API credentials');
  need('BRIDGE_WEBHOOK_SECRETS', 'verifies Bridge webhooks');
  need('FINQWARE_API_URL', 'the Finqware sandbox cannot run in production');
  need('FINQWARE_CLIENT_ID', 'Finqware API credentials');
  need('FINQWARE_CLIENT_APP_KEY', 'Finqware API credentials');
  need('FINQWARE_CLIENT_SECRET', 'Finqware API credentials');
  need('SMTP_URL', 'sends sign-up, password reset and security emails; the development mailbox is not for production');
  need('MAIL_FROM', 'the sender of every email, e.g. "Guidepost <no-reply@portal.example.com>"');
  for (const [name, url] of [
    ['BRIDGE_API_URL', raw.BRIDGE_API_URL],
    ['FINQWARE_API_URL', raw.FINQWARE_API_URL],
  ] as const) {
    if (url && new URL(url).protocol !== 'https:') problems.push(`${name}: must use https in a deployment (credentials and tokens travel on it)`);
  }
  // The sandbox's values are published in .env.example: anyone could use them.
  const published: ReadonlySet<string> = new Set(Object.values(SANDBOX_DEFAULTS));
  for (const [name, value] of [
    ['BRIDGE_CLIENT_ID', raw.BRIDGE_CLIENT_ID],
    ['BRIDGE_CLIENT_SECRET', raw.BRIDGE_CLIENT_SECRET],
    ['FINQWARE_CLIENT_ID', raw.FINQWARE_CLIENT_ID],
    ['FINQWARE_CLIENT_APP_KEY', raw.FINQWARE_CLIENT_APP_KEY],
    ['FINQWARE_CLIENT_SECRET', raw.FINQWARE_CLIENT_SECRET],
  ] as const) {
    if (value && published.has(value)) problems.push(`${name}: is the sandbox's published default; set the value the provider gave you`);
  }
  if (raw.BRIDGE_WEBHOOK_SECRETS?.some((secret) => published.has(secret))) {
    problems.push("BRIDGE_WEBHOOK_SECRETS: holds the sandbox's published default; set the secret from Bridge's dashboard");
  }
  if (raw.AUTH_SECRET && looksWeak(raw.AUTH_SECRET))
    problems.push('AUTH_SECRET: looks weak (too few distinct characters or a repeated pattern); generate one with `openssl rand -base64 32`');
  if (raw.ENCRYPTION_KEY && looksWeak(Buffer.from(raw.ENCRYPTION_KEY, 'base64'))) {
    problems.push('ENCRYPTION_KEY: looks weak (too few distinct bytes or a repeated pattern); generate one with `openssl rand -base64 32`');
  }
  return problems;
}

const SIGNING_VARIABLES = ['FINQWARE_SIGNING_KEY', 'FINQWARE_SIGNING_EMAIL', 'FINQWARE_SIGNING_KEY_ID'] as const;

/**
 * Signing is all or nothing, anywhere: half of it would quietly fall back to unsigned /v1 calls. With the
 * sandbox, /v1s is checked against FINQWARE_SANDBOX_JWKS (the published keys), never against a key
 * derived from ours, so it must be given and name our key.
 */
function signingProblems(raw: RawEnv): { problems: string[]; jwks: FinqwareJwks | undefined } {
  const problems: string[] = [];
  const given = SIGNING_VARIABLES.filter((name) => raw[name] !== undefined);
  if (given.length > 0) {
    for (const name of SIGNING_VARIABLES) {
      if (raw[name] === undefined)
        problems.push(
          `${name}: is required when ${given.join(' and ')} ${given.length > 1 ? 'are' : 'is'} set (request signing needs the key, its id and the service account email)`,
        );
    }
  }
  // A real Finqware reads the account's keys from Google: the variable is the sandbox's only.
  const jwks = raw.FINQWARE_API_URL === undefined ? raw.FINQWARE_SANDBOX_JWKS : undefined;
  if (jwks === undefined) {
    if (given.length > 0 && raw.FINQWARE_API_URL === undefined) {
      problems.push("FINQWARE_SANDBOX_JWKS: is required when signing is on with the Finqware sandbox: the service account's public keys, as a JWKS in JSON");
    }
    return { problems, jwks: undefined };
  }
  if (raw.FINQWARE_SIGNING_KEY_ID && !jwks.keys.some(({ kid }) => kid === raw.FINQWARE_SIGNING_KEY_ID)) {
    problems.push('FINQWARE_SANDBOX_JWKS: has no key with the id FINQWARE_SIGNING_KEY_ID: the sandbox would refuse every signed call');
  }
  return { problems, jwks };
}

/** Previous keys only make sense beside a configured current key, and never the current key itself. */
function encryptionKeyProblems(raw: RawEnv): string[] {
  const previous = raw.ENCRYPTION_KEYS_PREVIOUS ?? [];
  if (previous.length === 0) return [];
  if (!raw.ENCRYPTION_KEY) return ['ENCRYPTION_KEYS_PREVIOUS: needs ENCRYPTION_KEY, the current key (generated development secrets are not rotated)'];
  const current = Buffer.from(raw.ENCRYPTION_KEY, 'base64');
  if (previous.some((key) => Buffer.from(key, 'base64').equals(current))) {
    return ['ENCRYPTION_KEYS_PREVIOUS: holds the current ENCRYPTION_KEY; list only older keys (to rotate, set a new ENCRYPTION_KEY)'];
  }
  return [];
}

function issuesToProblems(error: z.ZodError): string[] {
  // Names the variable and why; never echoes the value, which may be a secret.
  return error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')}: ${issue.message}`);
}

interface DevSecrets {
  authSecret: string;
  encryptionKey: string;
}

/** Development secrets are generated once and kept under .data/ so sessions survive a restart. */
function loadDevSecrets(dir: string): DevSecrets {
  const file = path.join(dir, 'dev-secrets.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  } catch {
    const secrets = { authSecret: randomBytes(32).toString('base64url'), encryptionKey: randomBytes(32).toString('base64') };
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(file, JSON.stringify(secrets), { mode: 0o600, flag: 'wx' });
      return secrets;
    } catch {
      // Another process wrote it first: use theirs.
      return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
    }
  }
}

export function parseEnv(source: Record<string, string | undefined>, options: { devSecretsDir?: string } = {}): AppConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) throw new EnvError(issuesToProblems(parsed.error));
  const raw = parsed.data;
  const keyProblems = encryptionKeyProblems(raw);
  if (keyProblems.length > 0) throw new EnvError(keyProblems);
  const signing = signingProblems(raw);
  if (signing.problems.length > 0) throw new EnvError(signing.problems);
  const reasons = deploymentReasons(source);
  const deployed = reasons.length > 0;
  if (deployed) {
    const problems = deploymentProblems(raw);
    if (problems.length > 0) throw new EnvError([...problems, `(this configuration is a deployment because ${reasons.join('; ')})`]);
  }
  const generatedSecrets = !raw.AUTH_SECRET || !raw.ENCRYPTION_KEY;
  const dev = generatedSecrets ? loadDevSecrets(options.devSecretsDir ?? '.data') : undefined;
  const appUrl = raw.APP_URL ?? `http://localhost:${raw.PORT}`;
  // The sandbox is reached on loopback: the server calls its own simulator like any remote API.
  const loopbackHost = raw.HOST === '::1' || raw.HOST === '[::1]' ? '[::1]' : '127.0.0.1';
  const sandboxOrigin = `http://${loopbackHost}:${raw.PORT}/sandbox`;
  const bridgeSandbox = raw.BRIDGE_API_URL === undefined;
  const finqwareSandbox = raw.FINQWARE_API_URL === undefined;

  return {
    nodeEnv: raw.NODE_ENV,
    deployed,
    deploymentReasons: reasons,
    trustedProxyHops: raw.TRUSTED_PROXY_HOPS,
    port: raw.PORT,
    appUrl,
    authSecret: raw.AUTH_SECRET ?? dev!.authSecret,
    encryptionKey: Buffer.from(raw.ENCRYPTION_KEY ?? dev!.encryptionKey, 'base64'),
    previousEncryptionKeys: (raw.ENCRYPTION_KEYS_PREVIOUS ?? []).map((key) => Buffer.from(key, 'base64')),
    generatedSecrets,
    database: raw.DATABASE_URL ? { kind: 'postgres', url: raw.DATABASE_URL } : { kind: 'pglite', dir: raw.PGLITE_DIR },
    redisUrl: raw.REDIS_URL,
    logLevel: raw.LOG_LEVEL,
    bridge: {
      sandbox: bridgeSandbox,
      apiUrl: raw.BRIDGE_API_URL ?? `${sandboxOrigin}/bridge`,
      clientId: raw.BRIDGE_CLIENT_ID ?? SANDBOX_DEFAULTS.BRIDGE_CLIENT_ID,
      clientSecret: raw.BRIDGE_CLIENT_SECRET ?? SANDBOX_DEFAULTS.BRIDGE_CLIENT_SECRET,
      version: raw.BRIDGE_VERSION,
      webhookSecrets: raw.BRIDGE_WEBHOOK_SECRETS ?? [SANDBOX_DEFAULTS.BRIDGE_WEBHOOK_SECRET],
    },
    finqware: {
      sandbox: finqwareSandbox,
      apiUrl: raw.FINQWARE_API_URL ?? `${sandboxOrigin}/finqware`,
      clientId: raw.FINQWARE_CLIENT_ID ?? SANDBOX_DEFAULTS.FINQWARE_CLIENT_ID,
      clientAppKey: raw.FINQWARE_CLIENT_APP_KEY ?? SANDBOX_DEFAULTS.FINQWARE_CLIENT_APP_KEY,
      clientSecret: raw.FINQWARE_CLIENT_SECRET ?? SANDBOX_DEFAULTS.FINQWARE_CLIENT_SECRET,
      signing:
        raw.FINQWARE_SIGNING_KEY && raw.FINQWARE_SIGNING_EMAIL && raw.FINQWARE_SIGNING_KEY_ID
          ? { privateKeyPem: raw.FINQWARE_SIGNING_KEY, email: raw.FINQWARE_SIGNING_EMAIL, keyId: raw.FINQWARE_SIGNING_KEY_ID }
          : undefined,
      sandboxJwks: signing.jwks,
    },
    guidancePasswordTtlSeconds: raw.GUIDANCE_PASSWORD_TTL_SECONDS,
    guidanceOpenLimit: { points: raw.GUIDANCE_OPEN_LIMIT, windowSeconds: raw.GUIDANCE_OPEN_WINDOW_SECONDS },
    webhooks: {
      maxAttempts: raw.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: raw.WEBHOOK_RETRY_BASE_SECONDS * 1000,
      leaseMs: raw.WEBHOOK_LEASE_SECONDS * 1000,
      pollMs: raw.WEBHOOK_POLL_SECONDS * 1000,
    },
    recentLoginSeconds: raw.RECENT_LOGIN_SECONDS,
    requireTwoFactor: raw.REQUIRE_2FA === 'true',
    sessionIdleMs: raw.SESSION_IDLE_SECONDS * 1000,
    handoffTtlSeconds: raw.HANDOFF_TTL_SECONDS,
    support: { email: raw.SUPPORT_EMAIL, url: raw.SUPPORT_URL },
    mail: { smtpUrl: raw.SMTP_URL, from: raw.MAIL_FROM ?? 'Guidepost <no-reply@guidepost.localhost>', retryBaseMs: raw.MAIL_RETRY_BASE_SECONDS * 1000 },
    passwordResetTtlSeconds: raw.PASSWORD_RESET_TTL_SECONDS,
    bankSyncIntervalMs: raw.BANK_SYNC_INTERVAL_HOURS * 60 * 60 * 1000,
  };
}

const cache = globalThis as unknown as { __guidepostEnv?: AppConfig };

/** The checked configuration of this process; the first call validates and throws an EnvError naming each bad variable. */
export function getEnv(): AppConfig {
  cache.__guidepostEnv ??= parseEnv(process.env);
  return cache.__guidepostEnv;
}
