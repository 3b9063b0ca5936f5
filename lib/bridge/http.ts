import 'server-only';
import { abortable } from '@/lib/http/abortable';
import type { z } from 'zod';
import { logger } from '@/lib/log';
import { BridgeError, bridgeErrorCodeForStatus, isBridgeError, type BridgeErrorCode } from './errors';
import { bridgeErrorType, parseBridgeResponse } from './schemas';

export type BridgeMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type LogFn = (object: Record<string, unknown>, message: string) => void;

export interface BridgeHttpConfig {
  /** An origin such as https://api.bridgeapi.io; paths like /v3/... are appended. */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  version: string;
  fetch?: typeof fetch;
  /** Per attempt, covering the answer's body too. */
  timeoutMs?: number;
  /** Extra attempts for idempotent calls. */
  retries?: number;
  /** First backoff step; doubled on every retry, plus jitter. */
  backoffMs?: number;
  /** The longest wait a Retry-After header can ask for. */
  maxRetryAfterMs?: number;
  /** Tests replace the waits between attempts. */
  sleep?: (ms: number) => Promise<void>;
  /** Tests capture the call log; defaults to the process logger. */
  log?: { debug: LogFn; info: LogFn };
}

export interface BridgeRequestOptions {
  body?: unknown;
  accessToken?: string;
  /**
   * Safe to send twice: GET, DELETE and the token call. A POST that creates something is not, since a
   * lost answer may still have created it.
   */
  idempotent: boolean;
}

export interface BridgeHttp {
  request<T>(method: BridgeMethod, path: string, options: BridgeRequestOptions & { schema: z.ZodType<T> }): Promise<T>;
  /** For answers without a body we need (e.g. DELETE's 204). */
  request(method: BridgeMethod, path: string, options: BridgeRequestOptions & { schema?: undefined }): Promise<void>;
}

export const BRIDGE_HTTP_DEFAULTS = { timeoutMs: 10_000, retries: 2, backoffMs: 300, maxRetryAfterMs: 5_000 } as const;

const RETRYABLE: ReadonlySet<BridgeErrorCode> = new Set(['network', 'timeout', 'unavailable', 'rate_limited']);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The path as logged: ids replaced so lines group by endpoint and carry no user identifiers. */
export function pathForLog(path: string): string {
  return path.split('?')[0]!.replace(UUID, ':id');
}

/** Retry-After in ms (delta-seconds or an HTTP date), or undefined when absent or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}


function failureFor(error: unknown, signal: AbortSignal): BridgeError {
  if (isBridgeError(error)) return error;
  if (signal.aborted) return new BridgeError('timeout');
  // The cause is kept for operators (e.g. ECONNREFUSED); it is not enumerable, so log spreads skip it.
  return new BridgeError('network', { cause: error });
}

interface Attempt {
  value?: unknown;
  error?: BridgeError;
  status?: number;
  retryAfter?: number;
}

export function createBridgeHttp(config: BridgeHttpConfig): BridgeHttp {
  const origin = config.apiUrl.replace(/\/+$/, '');
  const timeoutMs = config.timeoutMs ?? BRIDGE_HTTP_DEFAULTS.timeoutMs;
  const retries = config.retries ?? BRIDGE_HTTP_DEFAULTS.retries;
  const backoffMs = config.backoffMs ?? BRIDGE_HTTP_DEFAULTS.backoffMs;
  const maxRetryAfterMs = config.maxRetryAfterMs ?? BRIDGE_HTTP_DEFAULTS.maxRetryAfterMs;
  // Looked up per call so a fetch replaced after start-up (tests, instrumentation) is the one used.
  const doFetch: typeof fetch = config.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const sleep = config.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const log = () => config.log ?? logger();

  function headersFor(options: BridgeRequestOptions): Headers {
    const headers = new Headers({
      'Client-Id': config.clientId,
      'Client-Secret': config.clientSecret,
      'Bridge-Version': config.version,
      Accept: 'application/json',
    });
    if (options.body !== undefined) headers.set('Content-Type', 'application/json');
    if (options.accessToken !== undefined) headers.set('Authorization', `Bearer ${options.accessToken}`);
    return headers;
  }

  async function attempt(method: BridgeMethod, path: string, options: BridgeRequestOptions & { schema?: z.ZodType<unknown> }): Promise<Attempt> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await abortable(
        doFetch(`${origin}${path}`, {
          method,
          headers: headersFor(options),
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal,
          // A redirect would carry Client-Secret to wherever it points: treat it as a failure instead.
          redirect: 'manual',
        }),
        signal,
      );
      const status = response.status;
      const text = await abortable(response.text(), signal);
      if (status < 200 || status >= 300) {
        const code = bridgeErrorCodeForStatus(status);
        const type = bridgeErrorType(text);
        return {
          status,
          error: new BridgeError(code, type === undefined ? { status } : { status, type }),
          retryAfter: retryAfterMs(response.headers.get('retry-after')),
        };
      }
      if (!options.schema) return { status };
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return { status, error: new BridgeError('invalid_response', { status }) };
      }
      return { status, value: parseBridgeResponse(options.schema, json, status) };
    } catch (error) {
      return { error: failureFor(error, signal) };
    }
  }

  function delayBefore(retry: number, retryAfter: number | undefined): number {
    if (retryAfter !== undefined) return Math.min(retryAfter, maxRetryAfterMs);
    const base = backoffMs * 2 ** (retry - 1);
    // Jitter spreads the retries of many requests that failed together.
    return Math.round(base + Math.random() * base * 0.5);
  }

  async function request(method: BridgeMethod, path: string, options: BridgeRequestOptions & { schema?: z.ZodType<unknown> }): Promise<unknown> {
    if (!path.startsWith('/')) throw new TypeError('Bridge paths start with /');
    const attempts = options.idempotent ? retries + 1 : 1;
    for (let n = 1; ; n++) {
      const started = performance.now();
      const result = await attempt(method, path, options);
      const line = {
        provider: 'bridge',
        method,
        path: pathForLog(path),
        status: result.status ?? result.error?.status ?? null,
        ms: Math.round(performance.now() - started),
        attempt: n,
        ...(result.error ? { code: result.error.code } : {}),
      };
      if (result.error) log().info(line, 'bridge call failed');
      else log().debug(line, 'bridge call');
      if (!result.error) return result.value;
      if (n >= attempts || !RETRYABLE.has(result.error.code)) throw result.error;
      await sleep(delayBefore(n, result.retryAfter));
    }
  }

  return { request: request as BridgeHttp['request'] };
}
