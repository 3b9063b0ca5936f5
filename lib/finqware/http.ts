import 'server-only';
import type { z } from 'zod';
import { createProviderClient, providerOrigin, type ProviderDefaults, type ProviderErrorKit, type ProviderHttpSettings } from '@/lib/http/provider-client';
import { API_BASE, SIGNED_API_BASE, UPLOAD_FIELDS } from '@guidepost/provider-contracts/finqware';
import { FinqwareError, isFinqwareError, parseFinqwareError, type FinqwareCallKind, type FinqwareErrorCode } from './errors';
import { signRequestBody, type SigningConfig } from './signing';

export interface FinqwareHttpConfig extends ProviderHttpSettings {
  /** https://api.finqware.com, with or without `/v1` (or `/v1s`); the base is chosen by `signing`. */
  apiUrl: string;
  /** When set, every call goes to `/v1s` with a signed JWT; otherwise to `/v1`. */
  signing?: SigningConfig | undefined;
  /** Uploads carry up to 10 MB, so they get longer, per attempt and overall (they are never retried). */
  uploadTimeoutMs?: number;
  /** The clock for the signing JWT's iat, in epoch ms. */
  now?: () => number;
}

export interface UploadFile {
  bytes: Uint8Array;
  filename: string;
  contentType: string;
}

interface FinqwarePostOptions<T> {
  schema: z.ZodType<T>;
  /**
   * Safe to send twice: reads and consent deletion. Sessions, steps, uploads and token exchanges are not:
   * each consumes a nonce or a temp_token, so a lost answer cannot be asked for again.
   */
  idempotent: boolean;
  /** A step submission: its refusals without a code are nonce problems (see FinqwareCallKind). */
  spendsNonce?: boolean;
}

export interface FinqwareHttp {
  post<T>(path: string, body: unknown, options: FinqwarePostOptions<T>): Promise<T>;
  /** Multipart upload of `file`, and of `more` files by field name (a document's back); never retried (it consumes the nonce). */
  upload<T>(
    path: string,
    fields: Record<string, string>,
    file: UploadFile,
    options: { schema: z.ZodType<T>; more?: Readonly<Record<string, UploadFile>> },
  ): Promise<T>;
}

export const FINQWARE_HTTP_DEFAULTS = {
  timeoutMs: 15_000,
  uploadTimeoutMs: 60_000,
  deadlineMs: 30_000,
  retries: 2,
  backoffMs: 300,
  maxRetryAfterMs: 5_000,
  // Accounts and balances lists are the largest answers we read; a few megabytes is generous.
  maxResponseBytes: 5_000_000,
} as const satisfies ProviderDefaults & { uploadTimeoutMs: number };

// external_api_error "may be transient" [doc], so an idempotent read tries again too.
const RETRYABLE: ReadonlySet<FinqwareErrorCode> = new Set(['network', 'timeout', 'unavailable', 'rate_limited', 'upstream']);
/** The documented base URL's version path (or the signed one): the client adds whichever it uses. */
const VERSION_PATH = /\/v1s?$/;

/** The path as logged: session and step ids replaced so lines group by endpoint and carry no identifiers. */
export function pathForLog(path: string): string {
  return path.split('?')[0]!.replace(/\/(sessions|steps)\/[^/]+/g, '/$1/:id');
}

const FINQWARE_ERRORS: ProviderErrorKit<FinqwareError> = {
  is: (error) => isFinqwareError(error),
  fromAnswer: (status, text) => parseFinqwareError(status, text),
  timeout: () => new FinqwareError('timeout'),
  network: (cause) => new FinqwareError('network', { cause }),
  invalidResponse: (status) => new FinqwareError('invalid_response', { status }),
  retryable: (error) => RETRYABLE.has(error.code),
};

// A content type is a token/token pair; anything else is sent as the neutral default.
const CONTENT_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+$/;

/**
 * The upload's body as the platform encodes FormData, with its Content-Type (and boundary). Encoded once
 * into bytes, because a signed call's digest must cover exactly what is sent: these bytes are both.
 * `encode` is the platform's encoder; tests replace it to force a boundary.
 */
export async function encodeUpload(
  fields: Record<string, string>,
  files: Readonly<Record<string, UploadFile>>,
  encode: (form: FormData) => Response = (form) => new Response(form),
): Promise<{ bytes: Uint8Array<ArrayBuffer>; contentType: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const [name, file] of Object.entries(files)) {
    const type = CONTENT_TYPE.test(file.contentType) ? file.contentType : 'application/octet-stream';
    form.append(name, new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type }), file.filename);
  }
  const fileBytes = Object.values(files).map((file) => Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
  for (;;) {
    const encoded = encode(form);
    const contentType = encoded.headers.get('content-type') ?? '';
    const boundary = /;\s*boundary=([^;\s]+)/.exec(contentType)?.[1];
    if (boundary === undefined) throw new TypeError('FormData was not encoded as multipart/form-data.');
    // The platform draws a random boundary (about 37 bits in Node) without looking at the file; one found
    // inside the file would end its part early at the other end and let the file add fields of its own.
    // Cheap to rule out: encode again, with a new boundary.
    if (fileBytes.some((bytes) => bytes.includes(`--${boundary}`))) {
      await encoded.body?.cancel();
      continue;
    }
    return { bytes: new Uint8Array(await encoded.arrayBuffer()), contentType };
  }
}

interface Outgoing<T> {
  bytes: Uint8Array<ArrayBuffer>;
  contentType: string;
  schema: z.ZodType<T>;
  idempotent: boolean;
  kind: FinqwareCallKind;
  timeoutMs?: number;
}

export function createFinqwareHttp(config: FinqwareHttpConfig): FinqwareHttp {
  const base = config.signing ? SIGNED_API_BASE : API_BASE;
  const uploadTimeoutMs = config.uploadTimeoutMs ?? FINQWARE_HTTP_DEFAULTS.uploadTimeoutMs;
  const now = config.now ?? Date.now;
  const client = createProviderClient({
    ...config,
    provider: 'finqware',
    origin: providerOrigin(config.apiUrl, VERSION_PATH),
    defaults: FINQWARE_HTTP_DEFAULTS,
    errors: FINQWARE_ERRORS,
  });

  async function headersFor(bytes: Uint8Array, contentType: string): Promise<Headers> {
    const headers = new Headers({ Accept: 'application/json', 'Content-Type': contentType });
    if (config.signing) {
      // Signed per attempt: a retry after a backoff gets a fresh iat rather than a JWT close to expiry.
      const jwt = await signRequestBody(bytes, { ...config.signing, now: now() });
      headers.set('Authorization', `Bearer ${jwt}`);
    }
    return headers;
  }

  async function send<T>(path: string, outgoing: Outgoing<T>): Promise<T> {
    if (!path.startsWith('/')) throw new TypeError('Finqware paths start with /');
    const fullPath = `${base}${path}`;
    return (await client.send({
      method: 'POST',
      path: fullPath,
      logPath: pathForLog(fullPath),
      headers: () => headersFor(outgoing.bytes, outgoing.contentType),
      // The exact bytes that were digested and signed.
      body: outgoing.bytes,
      idempotent: outgoing.idempotent,
      schema: outgoing.schema,
      timeoutMs: outgoing.timeoutMs,
      deadlineMs: outgoing.timeoutMs,
      fromAnswer: (status, text) => parseFinqwareError(status, text, outgoing.kind),
    })) as T;
  }

  function post<T>(path: string, body: unknown, options: FinqwarePostOptions<T>): Promise<T> {
    // Compact JSON, encoded once: these bytes are both signed and sent.
    const bytes = new TextEncoder().encode(JSON.stringify(body));
    return send(path, {
      bytes,
      contentType: 'application/json',
      schema: options.schema,
      idempotent: options.idempotent,
      kind: { spendsNonce: options.spendsNonce },
    });
  }

  async function upload<T>(
    path: string,
    fields: Record<string, string>,
    file: UploadFile,
    options: { schema: z.ZodType<T>; more?: Readonly<Record<string, UploadFile>> },
  ): Promise<T> {
    const { bytes, contentType } = await encodeUpload(fields, { [UPLOAD_FIELDS.file]: file, ...options.more });
    return send(path, { bytes, contentType, schema: options.schema, idempotent: false, kind: { spendsNonce: true }, timeoutMs: uploadTimeoutMs });
  }

  return { post, upload };
}
