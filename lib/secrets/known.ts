import 'server-only';
import { createHmac, randomBytes } from 'node:crypto';
import type { AppConfig } from '@/lib/env';

// The secret values this process holds — configured secrets, and one-off secrets (guidance passwords,
// nonces, temp_tokens, access tokens) registered where they enter the process — so the logger can
// replace any of them wherever it appears in a log line, whatever the key or the sentence around it.
//
// The registry never keeps a value: only a keyed digest (HMAC with a per-process random key) and a
// 32-bit hash of its first 8 characters, so a heap dump shows no more of a guidance password than the
// sealed secret store does. Looking for every known value in a text is one pass with a rolling hash
// over 8-character windows: its cost depends on the text's length, not on how many values are known.
// A window whose hash is known is confirmed by the digest of the candidate, so a hash collision costs
// an HMAC and never a false redaction.

/** The shortest value remembered (and the rolling hash's window): shorter ones would censor ordinary words. */
export const MIN_SECRET_LENGTH = 8;
const CENSOR = '[redacted]';
const BASE = 0x01000193;
// BASE^(MIN_SECRET_LENGTH-1) modulo 2^32: the weight of the character that leaves the window.
const LEAVING_WEIGHT = Array.from({ length: MIN_SECRET_LENGTH - 1 }).reduce<number>((power) => Math.imul(power, BASE), 1);

const DEFAULT_SECRET_TTL_MS = 2 * 60 * 60 * 1000;
const DEFAULT_MAX_SECRETS = 10_000;

interface Entry {
  digest: string;
  length: number;
  head: number;
  /** Epoch ms; Infinity for configured secrets. */
  expiresAt: number;
}

function windowHash(text: string, start: number): number {
  let hash = 0;
  for (let k = start; k < start + MIN_SECRET_LENGTH; k++) hash = (Math.imul(hash, BASE) + text.charCodeAt(k)) | 0;
  return hash;
}

export interface KnownSecrets {
  /** Remembers a one-off secret for ttlMs (default 2 hours); again refreshes it. Values under 8 characters are ignored. */
  remember(value: string | null | undefined, ttlMs?: number): void;
  /** Remembers a secret for the life of the process (configuration). */
  rememberForever(value: string | null | undefined): void;
  /** The text with every known value it contains replaced by [redacted]. */
  redact(text: string): string;
  /** One-off secrets currently held (expired ones not yet dropped included). */
  size(): number;
}

export interface KnownSecretsOptions {
  /** The most one-off secrets held; the least recently remembered goes first. */
  maxEntries?: number;
  now?: () => number;
}

export function createKnownSecrets(options: KnownSecretsOptions = {}): KnownSecrets {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_SECRETS;
  const now = options.now ?? Date.now;
  const digestKey = randomBytes(32);
  // One-off secrets in the order they were last remembered (a Map keeps insertion order): an LRU.
  const recent = new Map<string, Entry>();
  const forever = new Map<string, Entry>();
  // Head hash → entries whose first 8 characters have that hash, longest first.
  const index = new Map<number, Entry[]>();

  const digestOf = (value: string) => createHmac('sha256', digestKey).update(value).digest('base64url').slice(0, 22);

  function addToIndex(entry: Entry): void {
    const list = index.get(entry.head);
    if (!list) index.set(entry.head, [entry]);
    else {
      list.push(entry);
      list.sort((a, b) => b.length - a.length);
    }
  }

  function drop(entry: Entry): void {
    recent.delete(entry.digest);
    const list = index.get(entry.head);
    if (!list) return;
    const rest = list.filter((other) => other !== entry);
    if (rest.length === 0) index.delete(entry.head);
    else index.set(entry.head, rest);
  }

  /** Drops the oldest entries while they are expired or too many. */
  function trim(at: number): void {
    for (const entry of recent.values()) {
      if (recent.size <= maxEntries && entry.expiresAt > at) break;
      drop(entry);
    }
  }

  function add(value: string | null | undefined, expiresAt: number): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
    const digest = digestOf(value);
    if (forever.has(digest)) return;
    const known = recent.get(digest);
    if (known) {
      recent.delete(digest);
      known.expiresAt = Math.max(known.expiresAt, expiresAt);
      if (known.expiresAt === Infinity) forever.set(digest, known);
      else recent.set(digest, known);
      return;
    }
    const entry: Entry = { digest, length: value.length, head: windowHash(value, 0), expiresAt };
    if (expiresAt === Infinity) forever.set(digest, entry);
    else recent.set(digest, entry);
    addToIndex(entry);
  }

  /** The longest known value starting at `start`, or undefined. */
  function matchAt(text: string, start: number, candidates: Entry[], at: number): Entry | undefined {
    for (const entry of candidates) {
      if (start + entry.length > text.length) continue;
      if (entry.expiresAt <= at) continue;
      if (digestOf(text.slice(start, start + entry.length)) === entry.digest) return entry;
    }
    return undefined;
  }

  return {
    remember(value, ttlMs = DEFAULT_SECRET_TTL_MS) {
      const at = now();
      add(value, at + Math.max(0, ttlMs));
      trim(at);
    },

    rememberForever(value) {
      add(value, Infinity);
    },

    redact(text) {
      if (index.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
      const last = text.length - MIN_SECRET_LENGTH;
      let at: number | undefined;
      let out = '';
      let copiedUpTo = 0;
      let hash = windowHash(text, 0);
      for (let i = 0; i <= last;) {
        const candidates = index.get(hash);
        if (candidates) {
          at ??= now();
          const match = matchAt(text, i, candidates, at);
          if (match) {
            out += text.slice(copiedUpTo, i) + CENSOR;
            i += match.length;
            copiedUpTo = i;
            if (i <= last) hash = windowHash(text, i);
            continue;
          }
        }
        if (i < last) hash = (Math.imul(hash - Math.imul(text.charCodeAt(i), LEAVING_WEIGHT), BASE) + text.charCodeAt(i + MIN_SECRET_LENGTH)) | 0;
        i++;
      }
      return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
    },

    size: () => recent.size,
  };
}

// On globalThis: the production build bundles lib/ more than once, and a secret remembered by the
// copy that runs the Bridge client must be known to the copy whose logger writes the line.
const holder = globalThis as unknown as { [key: symbol]: KnownSecrets | undefined };
const PROCESS_REGISTRY = Symbol.for('guidepost.known-secrets');

/** The process's registry of known secret values. */
export function knownSecrets(): KnownSecrets {
  return (holder[PROCESS_REGISTRY] ??= createKnownSecrets());
}

/** Replaces the process's registry (undefined: a fresh one on next use). */
export function setKnownSecretsForTests(registry: KnownSecrets | undefined): void {
  holder[PROCESS_REGISTRY] = registry;
}

/**
 * Call where a one-off secret enters the process (a provider's answer, a value opened from storage):
 * from then on, for ttlMs, the logger censors it wherever it appears.
 */
export function rememberSecret(value: string | null | undefined, ttlMs?: number): void {
  knownSecrets().remember(value, ttlMs);
}

/** The textual forms of the configured secrets, as they could appear in a log line. */
export function configuredSecretValues(env: AppConfig): string[] {
  const keyForms = (key: Buffer) => [key.toString('base64'), key.toString('base64url'), key.toString('hex')];
  const values = [
    env.authSecret,
    ...keyForms(env.encryptionKey),
    ...env.previousEncryptionKeys.flatMap(keyForms),
    env.bridge.clientSecret,
    ...env.bridge.webhookSecrets,
    env.finqware.clientSecret,
    env.finqware.clientAppKey,
  ];
  const pem = env.finqware.signing?.privateKeyPem;
  if (pem) {
    // The whole key, its body in one piece and each of its lines: any of them may end up in a message.
    const body = pem.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('-----'));
    values.push(pem, body.join(''), ...body.map((line) => line.trim()));
  }
  for (const url of [env.database.kind === 'postgres' ? env.database.url : undefined, env.redisUrl, env.mail.smtpUrl]) {
    const password = url ? passwordOf(url) : undefined;
    if (password) values.push(password);
  }
  return values;
}

function passwordOf(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/** Makes every configured secret known for the life of the process. */
export function rememberConfiguredSecrets(env: AppConfig, registry: KnownSecrets = knownSecrets()): void {
  for (const value of configuredSecretValues(env)) registry.rememberForever(value);
}
