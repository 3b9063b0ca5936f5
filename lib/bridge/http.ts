import 'server-only';
import { BRIDGE_HEADERS } from '@guidepost/provider-contracts/bridge';
import type { z } from 'zod';
import { createProviderClient, providerOrigin, type ProviderDefaults, type ProviderErrorKit, type ProviderHttpSettings } from '@/lib/http/provider-client';
import { BridgeError, bridgeErrorCodeForStatus, isBridgeError, type BridgeErrorCode } from './errors';
import { bridgeErrorType } from './schemas';

type BridgeMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface BridgeHttpConfig extends ProviderHttpSettings {
  /** https://api.bridgeapi.io, with or without the documented `/v3`; the client's paths carry `/v3/...`. */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  version: string;
}

interface BridgeRequestOptions {
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

const BRIDGE_HTTP_DEFAULTS = {
  timeoutMs: 10_000,
  deadlineMs: 25_000,
  retries: 2,
  backoffMs: 300,
  maxRetryAfterMs: 5_000,
  // Bridge's answers here are a user, a token or a session: a megabyte is far more than any of them.
  maxResponseBytes: 1_000_000,
} as const satisfies ProviderDefaults;

const RETRYABLE: ReadonlySet<BridgeErrorCode> = new Set(['network', 'timeout', 'unavailable', 'rate_limited']);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** The documented base URL's version path, which the client's paths already carry. */
const VERSION_PATH = /\/v3$/;

/** The path as logged: ids replaced so lines group by endpoint and carry no user identifiers. */
export function pathForLog(path: string): string {
  return path.split('?')[0]!.replace(UUID, ':id');
}

const BRIDGE_ERRORS: ProviderErrorKit<BridgeError> = {
  is: (error) => isBridgeError(error),
  // The status decides the code; the body gives at most Bridge's error type, an identifier.
  fromAnswer: (status, text) => {
    const type = bridgeErrorType(text);
    return new BridgeError(bridgeErrorCodeForStatus(status), type === undefined ? { status } : { status, type });
  },
  timeout: () => new BridgeError('timeout'),
  network: (cause) => new BridgeError('network', { cause }),
  invalidResponse: (status) => new BridgeError('invalid_response', { status }),
  retryable: (error) => RETRYABLE.has(error.code),
};

export function createBridgeHttp(config: BridgeHttpConfig): BridgeHttp {
  const client = createProviderClient({
    ...config,
    provider: 'bridge',
    origin: providerOrigin(config.apiUrl, VERSION_PATH),
    defaults: BRIDGE_HTTP_DEFAULTS,
    errors: BRIDGE_ERRORS,
  });

  function headersFor(options: BridgeRequestOptions): Headers {
    const headers = new Headers({
      [BRIDGE_HEADERS.clientId]: config.clientId,
      [BRIDGE_HEADERS.clientSecret]: config.clientSecret,
      [BRIDGE_HEADERS.version]: config.version,
      Accept: 'application/json',
    });
    if (options.body !== undefined) headers.set('Content-Type', 'application/json');
    if (options.accessToken !== undefined) headers.set(BRIDGE_HEADERS.authorization, `Bearer ${options.accessToken}`);
    return headers;
  }

  function request(method: BridgeMethod, path: string, options: BridgeRequestOptions & { schema?: z.ZodType<unknown> }): Promise<unknown> {
    if (!path.startsWith('/')) throw new TypeError('Bridge paths start with /');
    return client.send({
      method,
      path,
      logPath: pathForLog(path),
      headers: () => headersFor(options),
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      idempotent: options.idempotent,
      schema: options.schema,
    });
  }

  return { request: request as BridgeHttp['request'] };
}
