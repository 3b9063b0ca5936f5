import 'server-only';
import type { z } from 'zod';
import { abortable } from '@/lib/http/abortable';
import { declaredLength } from '@/lib/http/read-body';
import { logger } from '@/lib/log';

// The one HTTP base under both provider adapters (lib/bridge/http.ts, lib/finqware/http.ts). It owns
// what every provider call needs the same way: a timeout per attempt and a deadline for the whole call,
// retries only where the caller says a call is safe to send twice, Retry-After, a cap on the answer's
// size, zod on the answer, and one log line per call. The adapters own what differs: URLs, headers,
// signing, and how an error answer reads (their error classes, recognised by brand).

export type ProviderName = 'bridge' | 'finqware';
type ProviderMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What the base reads from a provider's error: enough to decide a retry and write the log line, never a body. */
export interface ProviderError extends Error {
  readonly provider: ProviderName;
  /** Our code for the failure, the same set the portal shows messages for. */
  readonly code: string;
  readonly status?: number;
  /** The provider's own code or type (an identifier), for support and logs. */
  readonly providerCode?: string;
  /** The provider's id for this error, for support to quote back to the provider. */
  readonly supportId?: string;
}

type LogFn = (object: Record<string, unknown>, message: string) => void;
interface ProviderLog {
  debug: LogFn;
  info: LogFn;
}

/** The knobs both adapters expose in their configuration; each has its own defaults. */
export interface ProviderHttpSettings {
  /** Per attempt, covering the answer's body too. */
  timeoutMs?: number;
  /** The whole call, waits between attempts included: no wait or attempt runs past it. */
  deadlineMs?: number;
  /** Extra attempts for idempotent calls. */
  retries?: number;
  /** First backoff step; doubled on every retry, plus jitter. */
  backoffMs?: number;
  /** The longest wait a Retry-After may ask for; asking more gives up at once with the provider's error. */
  maxRetryAfterMs?: number;
  /** An answer longer than this is not read further (and is an invalid response when it was a success). */
  maxResponseBytes?: number;
  fetch?: typeof fetch;
  /** Tests replace the waits between attempts. */
  sleep?: (ms: number) => Promise<void>;
  /** The clock the deadline runs on, in ms; tests that replace `sleep` move it too. */
  clock?: () => number;
  /** Tests capture the call log; defaults to the process logger. */
  log?: ProviderLog;
}

export type ProviderDefaults = Required<
  Pick<ProviderHttpSettings, 'timeoutMs' | 'deadlineMs' | 'retries' | 'backoffMs' | 'maxRetryAfterMs' | 'maxResponseBytes'>
>;

/** How one provider's errors are made and judged. */
export interface ProviderErrorKit<E extends ProviderError> {
  is(error: unknown): error is E;
  /** The error for a non-2xx answer; `text` is the body read under the cap, and must not be kept. */
  fromAnswer(status: number, text: string): E;
  timeout(): E;
  network(cause: unknown): E;
  invalidResponse(status: number): E;
  /** Transient failures, worth another attempt when the call is idempotent. */
  retryable(error: E): boolean;
}

export interface ProviderCall<T, E extends ProviderError> {
  method: ProviderMethod;
  /** Appended to the origin; carries ids, so it is sent but never logged. */
  path: string;
  /** The path as logged: ids and anything else identifying replaced (e.g. `/v3/aggregation/users/:id`). */
  logPath: string;
  /** Built per attempt (a signature gets a fresh iat); an error here is a configuration problem and is thrown as is. */
  headers: () => HeadersInit | Promise<HeadersInit>;
  /** The exact bytes sent, every attempt: as they are, or as parts sent one after another (see PartsBody). */
  body?: string | Uint8Array<ArrayBuffer> | PartsBody;
  /** Safe to send twice. Only then is a failure retried: a lost answer may still have done the work. */
  idempotent: boolean;
  /** Without a schema the answer's body is not read as JSON (e.g. a 204), and the call resolves to undefined. */
  schema?: z.ZodType<T>;
  timeoutMs?: number;
  deadlineMs?: number;
  /** Reads this call's error answers when the call gives them a meaning of its own. */
  fromAnswer?: (status: number, text: string) => E;
}

/**
 * A body sent as its parts in order, without joining them into one buffer (a multipart upload keeps a
 * 10 MB file as one of its parts). Sent with its Content-Length, streamed afresh for every attempt.
 */
export interface PartsBody {
  parts: readonly Uint8Array[];
}

function isPartsBody(body: ProviderCall<unknown, ProviderError>['body']): body is PartsBody {
  return typeof body === 'object' && !(body instanceof Uint8Array);
}

/** What fetch sends for a call's body, and the headers that go with it. */
function requestBody(body: ProviderCall<unknown, ProviderError>['body'], headers: HeadersInit): { body?: BodyInit; headers: HeadersInit; duplex?: 'half' } {
  if (!isPartsBody(body)) return { body, headers };
  const { parts } = body;
  let next = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (next < parts.length) controller.enqueue(parts[next++]!);
        else controller.close();
      },
    },
    // Each part is handed on when the connection asks for it; none is copied.
    { highWaterMark: 0 },
  );
  const withLength = new Headers(headers);
  withLength.set('Content-Length', String(parts.reduce((sum, part) => sum + part.byteLength, 0)));
  return { body: stream, headers: withLength, duplex: 'half' };
}

export interface ProviderClient<E extends ProviderError> {
  /** The parsed answer (undefined when the call has no schema), or the provider's error after the last attempt. */
  send<T>(call: ProviderCall<T, E>): Promise<T | undefined>;
}

/** The statuses whose Retry-After the providers mean for us: too many requests, and down for a while. */
const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/**
 * The origin (and any prefix, e.g. a sandbox mount) of a provider URL given with or without its version
 * path: `https://api.bridgeapi.io/v3` and `https://api.bridgeapi.io` both give the latter, so the
 * adapter's `/v3/...` never becomes `/v3/v3/...`.
 */
export function providerOrigin(apiUrl: string, versionPath: RegExp): string {
  return apiUrl.replace(/\/+$/, '').replace(versionPath, '').replace(/\/+$/, '');
}

/** Retry-After in ms (delta-seconds or an HTTP date), or undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  const value = header?.trim() ?? '';
  if (value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Only the date form senders must use (IMF-fixdate, RFC 9110 §5.6.7): Date.parse alone reads far too much ("1.5", "soon 3").
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The body as text, or undefined when it is longer than `maxBytes` (reading stops there). */
async function readCapped(response: Response, maxBytes: number, signal: AbortSignal): Promise<string | undefined> {
  if (!response.body) return '';
  const declared = declaredLength(response.headers);
  if (declared !== undefined && declared > maxBytes) {
    response.body.cancel().catch(() => undefined);
    return undefined;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let complete = false;
  try {
    for (;;) {
      const { done, value } = await abortable(reader.read(), signal);
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) return undefined;
      chunks.push(value);
    }
    complete = true;
  } finally {
    // Not awaited: a stalled source may never acknowledge the cancel.
    if (!complete) reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

type Stopped = 'deadline' | 'retry_after';

interface Outcome<E> {
  value?: unknown;
  error?: E;
  status?: number;
  retryAfter?: number;
  /** The attempt's time was cut short by the call's deadline. */
  cutByDeadline?: boolean;
}

export function createProviderClient<E extends ProviderError>(
  options: ProviderHttpSettings & { provider: ProviderName; origin: string; defaults: ProviderDefaults; errors: ProviderErrorKit<E> },
): ProviderClient<E> {
  const { provider, origin, defaults, errors } = options;
  const timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
  const deadlineMs = options.deadlineMs ?? defaults.deadlineMs;
  const retries = options.retries ?? defaults.retries;
  const backoffMs = options.backoffMs ?? defaults.backoffMs;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? defaults.maxRetryAfterMs;
  const maxResponseBytes = options.maxResponseBytes ?? defaults.maxResponseBytes;
  // Looked up per call so a fetch replaced after start-up (tests, instrumentation) is the one used.
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const clock = options.clock ?? (() => performance.now());
  const log = () => options.log ?? logger();

  async function attempt<T>(call: ProviderCall<T, E>, budgetMs: number): Promise<Outcome<E>> {
    const sent = requestBody(call.body, await call.headers());
    const signal = AbortSignal.timeout(budgetMs);
    try {
      const response = await abortable(
        doFetch(`${origin}${call.path}`, {
          method: call.method,
          ...sent,
          signal,
          // A redirect would carry our credentials wherever it points: a failure instead.
          redirect: 'manual',
        }),
        signal,
      );
      const status = response.status;
      const retryAfter = RETRY_AFTER_STATUSES.has(status) ? retryAfterMs(response.headers.get('retry-after')) : undefined;
      const text = await readCapped(response, maxResponseBytes, signal);
      if (status < 200 || status >= 300) {
        // An oversized error body reads as its status alone.
        return { status, retryAfter, error: (call.fromAnswer ?? errors.fromAnswer)(status, text ?? '') };
      }
      if (!call.schema) return { status };
      if (text === undefined) return { status, error: errors.invalidResponse(status) };
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return { status, error: errors.invalidResponse(status) };
      }
      const parsed = call.schema.safeParse(json);
      // Zod's issues may quote the values it saw (tokens, IBANs, passwords): only the code leaves.
      if (!parsed.success) return { status, error: errors.invalidResponse(status) };
      return { status, value: parsed.data };
    } catch (error) {
      if (errors.is(error)) return { error };
      if (signal.aborted) return { error: errors.timeout(), cutByDeadline: budgetMs < (call.timeoutMs ?? timeoutMs) };
      // The cause is kept for operators (e.g. ECONNREFUSED); it is not enumerable, so log spreads skip it.
      return { error: errors.network(error) };
    }
  }

  function backoff(retry: number): number {
    const base = backoffMs * 2 ** (retry - 1);
    // Jitter spreads the retries of many requests that failed together.
    return Math.round(base + Math.random() * base * 0.5);
  }

  async function send<T>(call: ProviderCall<T, E>): Promise<T | undefined> {
    const started = clock();
    const deadlineAt = started + (call.deadlineMs ?? deadlineMs);
    const attempts = call.idempotent ? retries + 1 : 1;
    let attemptsMade = 0;
    let outcome: Outcome<E>;
    let stopped: Stopped | undefined;
    for (;;) {
      attemptsMade++;
      // Whole ms, as timers take them. Every wait ends before the deadline, so some time is always left.
      const budget = Math.max(1, Math.ceil(Math.min(call.timeoutMs ?? timeoutMs, deadlineAt - clock())));
      outcome = await attempt(call, budget);
      const error = outcome.error;
      if (!error) break;
      if (outcome.cutByDeadline) {
        stopped = 'deadline';
        break;
      }
      if (attemptsMade >= attempts || !errors.retryable(error)) break;
      let wait = backoff(attemptsMade);
      if (outcome.retryAfter !== undefined) {
        // The provider said when; asked to wait longer than we would, the call gives up with its answer.
        if (outcome.retryAfter > maxRetryAfterMs) {
          stopped = 'retry_after';
          break;
        }
        wait = outcome.retryAfter;
      }
      if (clock() + wait >= deadlineAt) {
        stopped = 'deadline';
        break;
      }
      await sleep(wait);
    }

    const error = outcome.error;
    // One line per call, whatever the attempts: the template path, never a body, header or query.
    const line: Record<string, unknown> = {
      provider,
      method: call.method,
      path: call.logPath,
      status: outcome.status ?? error?.status ?? null,
      attempts: attemptsMade,
      ms: Math.round(clock() - started),
    };
    if (error) {
      line.code = error.code;
      if (error.providerCode !== undefined) line.providerCode = error.providerCode;
      if (error.supportId !== undefined) line.supportId = error.supportId;
      if (stopped) line.stopped = stopped;
      log().info(line, `${provider} call failed`);
      throw error;
    }
    log().debug(line, `${provider} call`);
    return outcome.value as T | undefined;
  }

  return { send };
}
