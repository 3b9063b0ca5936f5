import 'server-only';
import { abortable } from '@/lib/http/abortable';
import type { z } from 'zod';
import { logger } from '@/lib/log';
import { API_BASE, SIGNED_API_BASE } from '@guidepost/provider-contracts/finqware';
import { FinqwareError, isFinqwareError, parseFinqwareError, type FinqwareErrorCode } from './errors';
import { buildMultipart, type UploadFile } from './multipart';
import { signRequestBody, type SigningConfig } from './signing';

export type { UploadFile } from './multipart';

type LogFn = (object: Record<string, unknown>, message: string) => void;

export interface FinqwareHttpConfig {
  /** An origin such as https://api.finqware.com; `/v1` or `/v1s` and the path are appended. */
  apiUrl: string;
  /** When set, every call goes to `/v1s` with a signed JWT; otherwise to `/v1`. */
  signing?: SigningConfig | undefined;
  fetch?: typeof fetch;
  /** Per attempt, covering the answer's body too. */
  timeoutMs?: number;
  /** Uploads carry up to 10 MB, so they get longer. */
  uploadTimeoutMs?: number;
  /** Extra attempts for idempotent calls. */
  retries?: number;
  /** First backoff step; doubled on every retry, plus jitter. */
  backoffMs?: number;
  /** Tests replace the waits between attempts. */
  sleep?: (ms: number) => Promise<void>;
  /** The clock for the signing JWT's iat, in epoch ms. */
  now?: () => number;
  /** Tests capture the call log; defaults to the process logger. */
  log?: { debug: LogFn; info: LogFn };
}

export interface FinqwarePostOptions<T> {
  schema: z.ZodType<T>;
  /**
   * Safe to send twice: reads and consent deletion. Sessions, steps, uploads and token exchanges are not:
   * each consumes a nonce or a temp_token, so a lost answer cannot be asked for again.
   */
  idempotent: boolean;
}

export interface FinqwareHttp {
  post<T>(path: string, body: unknown, options: FinqwarePostOptions<T>): Promise<T>;
  /** Multipart upload; never retried (it consumes the nonce). */
  upload<T>(path: string, fields: Record<string, string>, file: UploadFile, options: { schema: z.ZodType<T> }): Promise<T>;
}

export const FINQWARE_HTTP_DEFAULTS = { timeoutMs: 15_000, uploadTimeoutMs: 60_000, retries: 2, backoffMs: 300 } as const;

// external_api_error "may be transient" [doc], so an idempotent read tries again too.
const RETRYABLE: ReadonlySet<FinqwareErrorCode> = new Set(['network', 'timeout', 'unavailable', 'rate_limited', 'upstream']);

/** The path as logged: session and step ids replaced so lines group by endpoint and carry no identifiers. */
export function pathForLog(path: string): string {
  return path.split('?')[0]!.replace(/\/(sessions|steps)\/[^/]+/g, '/$1/:id');
}


function failureFor(error: unknown, signal: AbortSignal): FinqwareError {
  if (isFinqwareError(error)) return error;
  if (signal.aborted) return new FinqwareError('timeout');
  // The cause is kept for operators (e.g. ECONNREFUSED); it is not enumerable, so log spreads skip it.
  return new FinqwareError('network', { cause: error });
}

interface Attempt {
  value?: unknown;
  error?: FinqwareError;
  status?: number;
}

interface Outgoing {
  bytes: Uint8Array<ArrayBuffer>;
  contentType: string;
  timeoutMs: number;
  schema: z.ZodType<unknown>;
}

export function createFinqwareHttp(config: FinqwareHttpConfig): FinqwareHttp {
  const origin = config.apiUrl.replace(/\/+$/, '');
  const base = config.signing ? SIGNED_API_BASE : API_BASE;
  const timeoutMs = config.timeoutMs ?? FINQWARE_HTTP_DEFAULTS.timeoutMs;
  const uploadTimeoutMs = config.uploadTimeoutMs ?? FINQWARE_HTTP_DEFAULTS.uploadTimeoutMs;
  const retries = config.retries ?? FINQWARE_HTTP_DEFAULTS.retries;
  const backoffMs = config.backoffMs ?? FINQWARE_HTTP_DEFAULTS.backoffMs;
  // Looked up per call so a fetch replaced after start-up (tests, instrumentation) is the one used.
  const doFetch: typeof fetch = config.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const sleep = config.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = config.now ?? Date.now;
  const log = () => config.log ?? logger();

  async function headersFor(outgoing: Outgoing): Promise<Headers> {
    const headers = new Headers({ Accept: 'application/json', 'Content-Type': outgoing.contentType });
    if (config.signing) {
      // Signed per attempt: a retry after a backoff gets a fresh iat rather than a JWT close to expiry.
      const jwt = await signRequestBody(outgoing.bytes, { ...config.signing, now: now() });
      headers.set('Authorization', `Bearer ${jwt}`);
    }
    return headers;
  }

  async function attempt(url: string, outgoing: Outgoing): Promise<Attempt> {
    const headers = await headersFor(outgoing);
    const signal = AbortSignal.timeout(outgoing.timeoutMs);
    try {
      const response = await abortable(
        doFetch(url, {
          method: 'POST',
          headers,
          // The exact bytes that were digested and signed.
          body: outgoing.bytes,
          signal,
          // A redirect would carry the client secret and tokens wherever it points: a failure instead.
          redirect: 'manual',
        }),
        signal,
      );
      const status = response.status;
      const text = await abortable(response.text(), signal);
      if (status < 200 || status >= 300) return { status, error: parseFinqwareError(status, text) };
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return { status, error: new FinqwareError('invalid_response', { status }) };
      }
      const parsed = outgoing.schema.safeParse(json);
      // Zod's issues may quote the values it saw (tokens, IBANs): only the code leaves.
      if (!parsed.success) return { status, error: new FinqwareError('invalid_response', { status }) };
      return { status, value: parsed.data };
    } catch (error) {
      return { error: failureFor(error, signal) };
    }
  }

  function delayBefore(retry: number): number {
    const base = backoffMs * 2 ** (retry - 1);
    // Jitter spreads the retries of many requests that failed together.
    return Math.round(base + Math.random() * base * 0.5);
  }

  async function send(path: string, outgoing: Outgoing, idempotent: boolean): Promise<unknown> {
    if (!path.startsWith('/')) throw new TypeError('Finqware paths start with /');
    const fullPath = `${base}${path}`;
    const attempts = idempotent ? retries + 1 : 1;
    for (let n = 1; ; n++) {
      const started = performance.now();
      const result = await attempt(`${origin}${fullPath}`, outgoing);
      const error = result.error;
      const line = {
        provider: 'finqware',
        path: pathForLog(fullPath),
        status: result.status ?? error?.status ?? null,
        ms: Math.round(performance.now() - started),
        attempt: n,
        ...(error ? { code: error.code } : {}),
        ...(error?.finqwareCode ? { finqwareCode: error.finqwareCode } : {}),
        ...(error?.id ? { finqwareErrorId: error.id } : {}),
      };
      if (error) log().info(line, 'finqware call failed');
      else log().debug(line, 'finqware call');
      if (!error) return result.value;
      if (n >= attempts || !RETRYABLE.has(error.code)) throw error;
      await sleep(delayBefore(n));
    }
  }

  function post<T>(path: string, body: unknown, options: FinqwarePostOptions<T>): Promise<T> {
    // Compact JSON, encoded once: these bytes are both signed and sent.
    const bytes = new TextEncoder().encode(JSON.stringify(body));
    return send(path, { bytes, contentType: 'application/json', timeoutMs, schema: options.schema }, options.idempotent) as Promise<T>;
  }

  function upload<T>(path: string, fields: Record<string, string>, file: UploadFile, options: { schema: z.ZodType<T> }): Promise<T> {
    // Built as bytes ourselves (not FormData) so the digest covers exactly what goes on the wire.
    const { bytes, contentType } = buildMultipart(fields, file);
    return send(path, { bytes, contentType, timeoutMs: uploadTimeoutMs, schema: options.schema }, false) as Promise<T>;
  }

  return { post, upload };
}
