import 'server-only';
import pino, { type Bindings, type ChildLoggerOptions, type DestinationStream, type Logger } from 'pino';
import { getEnv } from '@/lib/env';
import { CENSOR, SECRET_NAME, scrubText } from '@/lib/log-scrub';
import { rememberConfiguredSecrets } from '@/lib/secrets/known';

// Two nets, so a secret needs to slip through both to reach a log line:
// - by name: any field whose key names a secret is censored at every depth, whatever the object's shape;
// - by value: every string written (the message after its %s/%o interpolation, every field, error
//   messages, stacks and causes) is scrubbed of known secret values and secret shapes (lib/log-scrub.ts).

const MAX_DEPTH = 10;

function redactError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { type: error.name, message: scrubText(error.message) };
  if (typeof error.stack === 'string') out.stack = scrubText(error.stack);
  for (const [key, inner] of Object.entries(error)) out[key] = SECRET_NAME.test(key) ? CENSOR : redactDeep(inner, depth + 1, seen);
  // Not enumerable, so spreads miss them: the cause chain and an AggregateError's errors.
  if (error.cause !== undefined) out.cause = redactDeep(error.cause, depth + 1, seen);
  if (error instanceof AggregateError) out.errors = redactDeep(error.errors, depth + 1, seen);
  return out;
}

export function redactDeep(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1, seen));
  if (value instanceof Error) return redactError(value, depth, seen);
  if (value instanceof Headers) return redactDeep(Object.fromEntries(value.entries()), depth + 1, seen);
  if (value instanceof URL) return scrubText(value.href);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_NAME.test(key) ? CENSOR : redactDeep(inner, depth + 1, seen);
  }
  return out;
}

function stringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '"[unserialisable]"';
  }
}

/**
 * printf-style interpolation as pino does it (%s %d %i %f %j %o %O %%), each argument redacted first:
 * a string is scrubbed, an object is redacted by key like a field. The logger scrubs the whole message
 * again afterwards, for a secret only visible once the pieces are joined (`?token=%s`).
 */
export function formatLogMessage(template: string, args: readonly unknown[]): string {
  let out = '';
  let next = 0;
  let copiedUpTo = 0;
  for (let i = 0; i < template.length - 1; i++) {
    if (template.charCodeAt(i) !== 37 /* % */) continue;
    const specifier = template[i + 1];
    let piece: string | undefined;
    if (specifier === '%') piece = '%';
    else if (next < args.length && 'sdifjoO'.includes(specifier!)) {
      const arg = args[next++];
      if (specifier === 's') piece = scrubText(typeof arg === 'string' ? arg : asString(arg));
      else if (specifier === 'd' || specifier === 'f') piece = String(Number(arg));
      else if (specifier === 'i') piece = String(Math.floor(Number(arg)));
      else if (typeof arg === 'string') piece = `'${scrubText(arg)}'`;
      else if (typeof arg === 'function') piece = arg.name || '<anonymous>';
      else piece = stringify(redactDeep(arg));
    }
    if (piece === undefined) continue;
    out += template.slice(copiedUpTo, i) + piece;
    copiedUpTo = i + 2;
    i++;
  }
  return copiedUpTo === 0 ? template : out + template.slice(copiedUpTo);
}

// What %s shows: String(), which for an error is "Name: message"; never throws (a null-prototype object).
function asString(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return String(value);
  } catch {
    return '[object]';
  }
}

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const root = pino(
    {
      level: options.level ?? 'info',
      base: { app: 'guidepost' },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: {
        // The message is interpolated here, from redacted arguments, so pino never puts a raw %s/%o
        // argument into it.
        logMethod(args, method) {
          const at = typeof args[0] === 'object' && args[0] !== null ? 1 : 0;
          const template = args[at];
          if (typeof template !== 'string' || args.length <= at + 1) return method.apply(this, args);
          const message = formatLogMessage(template, args.slice(at + 1));
          return at === 1 ? method.call(this, args[0] as object, message) : method.call(this, message);
        },
      },
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactDeep(object) as Record<string, unknown>,
        // The root's own bindings (base); children's are redacted by child() below.
        bindings: (bindings) => redactDeep(bindings) as Record<string, unknown>,
      },
      serializers: {
        // The final message, interpolated or taken from an error.
        msg: (message: unknown) => (typeof message === 'string' ? scrubText(message) : message),
        // formatters.log has already redacted every field (it runs first); these keep pino's own error
        // serializer from reading the original error again.
        err: (err: unknown) => err,
        error: (err: unknown) => err,
      },
    },
    options.destination,
  );
  // pino formats a child's bindings without formatters.bindings: they are redacted on the way in.
  // Children are created from their parent by prototype, so every descendant inherits this.
  const child = root.child;
  root.child = function redactedChild(this: Logger, bindings: Bindings, childOptions?: ChildLoggerOptions): Logger {
    return Reflect.apply(child, this, [redactDeep(bindings), childOptions]) as Logger;
  } as unknown as Logger['child'];
  return root;
}

const holder = globalThis as unknown as { __guidepostLogger?: Logger };

/** The process logger: JSON lines on stdout, secrets censored. */
export function logger(): Logger {
  if (!holder.__guidepostLogger) {
    const env = getEnv();
    rememberConfiguredSecrets(env);
    holder.__guidepostLogger = createLogger({ level: env.logLevel });
  }
  return holder.__guidepostLogger;
}
