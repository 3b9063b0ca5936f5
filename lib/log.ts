import 'server-only';
import pino, { type DestinationStream, type Logger } from 'pino';
import { getEnv } from '@/lib/env';

// Any key that names a secret is censored at every depth, whatever the object's shape.
const SECRET_KEY =
  /pass(word|wd|phrase)?$|password|secret|token|nonce|cookie|authori[sz]ation|api[-_]?key|app[-_]?key|private[-_]?key|signing[-_]?key|encryption[-_]?key|credentials?[-_]?id|signature|otp/i;
const SECRET_VALUE = /^(bearer|basic)\s+\S+/i;
const CENSOR = '[redacted]';
const MAX_DEPTH = 10;

export function redactDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return SECRET_VALUE.test(value) ? CENSOR : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1, seen));
  if (value instanceof Error) {
    return { type: value.name, message: value.message, ...(redactDeep({ ...value }, depth + 1, seen) as object) };
  }
  if (value instanceof Headers) return redactDeep(Object.fromEntries(value.entries()), depth + 1, seen);
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? CENSOR : redactDeep(inner, depth + 1, seen);
  }
  return out;
}

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'guidepost' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactDeep(object) as Record<string, unknown>,
      },
      // Errors go through the same redaction as everything else.
      serializers: { err: (err: unknown) => redactDeep(err), error: (err: unknown) => redactDeep(err) },
    },
    options.destination,
  );
}

const holder = globalThis as unknown as { __guidepostLogger?: Logger };

/** The process logger: JSON lines on stdout, secrets censored. */
export function logger(): Logger {
  holder.__guidepostLogger ??= createLogger({ level: getEnv().logLevel });
  return holder.__guidepostLogger;
}
