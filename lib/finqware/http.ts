import 'server-only';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import {
  createProviderClient,
  providerOrigin,
  type PartsBody,
  type ProviderDefaults,
  type ProviderErrorKit,
  type ProviderHttpSettings,
} from '@/lib/http/provider-client';
import { API_BASE, SIGNED_API_BASE, UPLOAD_FIELDS } from '@guidepost/provider-contracts/finqware';
import { FinqwareError, isFinqwareError, parseFinqwareError, type FinqwareCallKind, type FinqwareErrorCode } from './errors';
import { signRequestBody, type BodyBytes, type SigningConfig } from './signing';

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

const utf8 = (text: string) => new TextEncoder().encode(text);
// As the platform (and browsers) write multipart/form-data: line breaks in names and values become
// CRLF, and `"`, CR and LF in names and file names are percent-escaped, so no header can be cut or added.
const crlf = (text: string) => text.replace(/\r(?!\n)|(?<!\r)\n/g, '\r\n');
const escapeName = (text: string) => text.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');

/** A random boundary, as long as the platform's and unguessable. */
export const drawBoundary = () => `----guidepost-${randomBytes(16).toString('hex')}`;

/** A multipart body as its parts in order: each file's bytes are one part, as they are, never copied. */
export interface EncodedUpload {
  parts: Uint8Array[];
  length: number;
  contentType: string;
}

/**
 * The upload's multipart/form-data body, byte for byte as the platform encodes FormData, kept as parts
 * ([head, file, between, file, …, tail]) so a 10 MB file is neither copied nor concatenated: the
 * signature's digest is computed over the parts, and the same parts are sent. `boundary` draws the
 * boundary; tests replace it to force one.
 */
export function encodeUpload(
  fields: Record<string, string>,
  files: Readonly<Record<string, UploadFile>>,
  boundary: () => string = drawBoundary,
): EncodedUpload {
  const fileBytes = Object.values(files).map((file) => Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
  let chosen = boundary();
  // A boundary found inside a file would end its part early at the other end and let the file add
  // fields of its own. Cheap to rule out: draw another.
  while (fileBytes.some((bytes) => bytes.includes(`--${chosen}`))) chosen = boundary();
  const parts: Uint8Array[] = [];
  let text = '';
  for (const [name, value] of Object.entries(fields)) {
    text += `--${chosen}\r\nContent-Disposition: form-data; name="${escapeName(crlf(name))}"\r\n\r\n${crlf(value)}\r\n`;
  }
  for (const [name, file] of Object.entries(files)) {
    const type = CONTENT_TYPE.test(file.contentType) ? file.contentType : 'application/octet-stream';
    text += `--${chosen}\r\nContent-Disposition: form-data; name="${escapeName(crlf(name))}"; filename="${escapeName(file.filename)}"\r\nContent-Type: ${type}\r\n\r\n`;
    parts.push(utf8(text), file.bytes);
    text = '\r\n';
  }
  parts.push(utf8(`${text}--${chosen}--\r\n`));
  return { parts, length: parts.reduce((sum, part) => sum + part.byteLength, 0), contentType: `multipart/form-data; boundary=${chosen}` };
}

interface Outgoing<T> {
  /** One buffer (JSON), or a multipart body's parts. */
  body: Uint8Array<ArrayBuffer> | PartsBody;
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

  async function headersFor(bytes: BodyBytes, contentType: string): Promise<Headers> {
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
      headers: () => headersFor(outgoing.body instanceof Uint8Array ? outgoing.body : outgoing.body.parts, outgoing.contentType),
      // The exact bytes that were digested and signed.
      body: outgoing.body,
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
      body: bytes,
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
    const { parts, contentType } = encodeUpload(fields, { [UPLOAD_FIELDS.file]: file, ...options.more });
    return send(path, { body: { parts }, contentType, schema: options.schema, idempotent: false, kind: { spendsNonce: true }, timeoutMs: uploadTimeoutMs });
  }

  return { post, upload };
}
