import { createHash, sign, type KeyObject } from 'node:crypto';
import { SIGNING_AUDIENCE, UPLOAD_FIELDS, type FinqwareJwks } from '@guidepost/provider-contracts/finqware';
import { AISP_SKILL, CARD_SKILL } from './catalog';
import { createFinqwareSandbox, type FinqwareSandbox, type FinqwareSandboxOptions } from './index';

// Shared by the sandbox's tests: a sandbox on a fake clock, request builders, small real files and
// whole sessions. Independent of the Finqware client in lib/finqware on purpose.

export const TEST_CREDENTIALS = { clientId: 'test-client-id', clientAppKey: 'test-client-app-key', clientSecret: 'test-client-secret-0123456789' } as const;
export const START = Date.parse('2025-03-01T10:00:00.000Z');
export const ORIGIN = 'http://sandbox.test';

// Loosely typed on purpose: tests assert on what comes back, whatever its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export function testSandbox(options: Partial<FinqwareSandboxOptions> = {}): { sandbox: FinqwareSandbox; clock: { ms: number } } {
  const clock = { ms: START };
  const sandbox = createFinqwareSandbox({ ...TEST_CREDENTIALS, now: () => clock.ms, ...options });
  return { sandbox, clock };
}

/** A JSON POST as a Finqware client sends it: the compact body, under /v1 unless told otherwise. */
export function apiRequest(path: string, body: unknown, options: { base?: string; headers?: Record<string, string> } = {}): Request {
  return new Request(`${ORIGIN}${options.base ?? '/v1'}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function answer(response: Response): Promise<{ status: number; body: Json }> {
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

export async function call(sandbox: FinqwareSandbox, path: string, body: unknown, options: { base?: string; headers?: Record<string, string> } = {}) {
  return answer(await sandbox.handle(apiRequest(path, body, options)));
}

export const VALID_DATA = {
  consent: { accepted: true },
  product_form: { value: '100000', currency: 'EUR', period: '12' },
  personal_data: {
    first_name: 'Ana',
    last_name: 'Popescu',
    date_of_birth: '1990-05-17',
    nationality: 'RO',
    address: { line1: 'Strada Lipscani 12', city: 'Bucharest', postal_code: '030031', country: 'RO' },
  },
  identity_document: { document_type: 'passport' },
  selfie: {},
} as const;

/** Small files whose first bytes are those of real JPEG, PNG and PDF files. */
export const FILES = {
  jpeg(size = 64): Uint8Array<ArrayBuffer> {
    const bytes = new Uint8Array(Math.max(size, 24));
    bytes.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
    for (let i = 20; i < bytes.length - 2; i++) bytes[i] = (i * 31) % 251;
    bytes.set([0xff, 0xd9], bytes.length - 2);
    return bytes;
  },
  png(): Uint8Array<ArrayBuffer> {
    // Signature, then an IHDR chunk for a 1×1 RGBA image.
    return new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08,
      0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89,
    ]);
  },
  pdf(): Uint8Array<ArrayBuffer> {
    return new TextEncoder().encode(
      '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
    );
  },
  text(): Uint8Array<ArrayBuffer> {
    return new TextEncoder().encode('This is a text file that someone renamed to passport.jpg\n');
  },
};

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The multipart upload a client sends; `file: null` leaves the file part out. */
export function uploadRequest(
  stepId: string,
  fields: {
    nonce: string;
    skill?: string;
    clientId?: string;
    file: Uint8Array<ArrayBuffer> | null;
    filename?: string;
    type?: string;
    /** A document's back, sent as `file_back`. */
    back?: Uint8Array<ArrayBuffer>;
  },
  options: { base?: string; headers?: Record<string, string> } = {},
): Request {
  const form = new FormData();
  form.append(UPLOAD_FIELDS.clientId, fields.clientId ?? TEST_CREDENTIALS.clientId);
  form.append(UPLOAD_FIELDS.nonce, fields.nonce);
  form.append(UPLOAD_FIELDS.skill, fields.skill ?? CARD_SKILL);
  if (fields.file !== null) form.append(UPLOAD_FIELDS.file, new Blob([fields.file], { type: fields.type ?? 'image/jpeg' }), fields.filename ?? 'document.jpg');
  if (fields.back) form.append(UPLOAD_FIELDS.fileBack, new Blob([fields.back], { type: 'image/jpeg' }), 'back.jpg');
  return new Request(`${ORIGIN}${options.base ?? '/v1'}/steps/${encodeURIComponent(stepId)}/upload`, { method: 'POST', body: form, headers: options.headers });
}

export async function startSession(sandbox: FinqwareSandbox, skill: string, tenantUserId = 'user-1'): Promise<{ session_id: string; nonce: string }> {
  const { status, body } = await call(sandbox, '/sessions', {
    tenant_user_id: tenantUserId,
    client_id: TEST_CREDENTIALS.clientId,
    client_app_key: TEST_CREDENTIALS.clientAppKey,
    skill,
  });
  if (status !== 200) throw new Error(`session creation answered ${status}`);
  return body;
}

export function stepBody(nonce: string, skill: string, step: string, data: unknown) {
  return { client_id: TEST_CREDENTIALS.clientId, nonce, skill, step, data };
}

export async function submitStep(sandbox: FinqwareSandbox, sessionId: string, nonce: string, skill: string, step: string, data: unknown) {
  return call(sandbox, `/sessions/${sessionId}/steps`, stepBody(nonce, skill, step, data));
}

/** Submits a step and expects 200; returns the answer. */
async function expectStep(sandbox: FinqwareSandbox, sessionId: string, nonce: string, skill: string, step: keyof typeof VALID_DATA): Promise<Json> {
  const { status, body } = await submitStep(sandbox, sessionId, nonce, skill, step, VALID_DATA[step]);
  if (status !== 200) throw new Error(`step ${step} answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

async function expectUpload(sandbox: FinqwareSandbox, stepId: string, nonce: string, file: Uint8Array<ArrayBuffer>): Promise<Json> {
  const { status, body } = await answer(await sandbox.handle(uploadRequest(stepId, { nonce, file })));
  if (status !== 200) throw new Error(`upload answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

/** A card session run to the end with valid data and files; returns its temp_token. */
export async function completeCardSession(sandbox: FinqwareSandbox, tenantUserId = 'user-1'): Promise<string> {
  const session = await startSession(sandbox, CARD_SKILL, tenantUserId);
  let nonce: string = session.nonce;
  nonce = (await expectStep(sandbox, session.session_id, nonce, CARD_SKILL, 'product_form')).nonce;
  nonce = (await expectStep(sandbox, session.session_id, nonce, CARD_SKILL, 'personal_data')).nonce;
  const identity = await expectStep(sandbox, session.session_id, nonce, CARD_SKILL, 'identity_document');
  nonce = (await expectUpload(sandbox, identity.step_id, identity.nonce, FILES.pdf())).nonce;
  const selfie = await expectStep(sandbox, session.session_id, nonce, CARD_SKILL, 'selfie');
  return (await expectUpload(sandbox, selfie.step_id, selfie.nonce, FILES.jpeg())).temp_token;
}

/** An account-information session run to the end; returns its temp_token. */
export async function completeAispSession(sandbox: FinqwareSandbox, tenantUserId = 'user-1'): Promise<string> {
  const session = await startSession(sandbox, AISP_SKILL, tenantUserId);
  return (await expectStep(sandbox, session.session_id, session.nonce, AISP_SKILL, 'consent')).temp_token;
}

export async function exchangeTempToken(sandbox: FinqwareSandbox, tempToken: string) {
  return call(sandbox, '/tokens', { client_id: TEST_CREDENTIALS.clientId, client_secret: TEST_CREDENTIALS.clientSecret, temp_token: tempToken });
}

/** An account-information consent for `tenantUserId`: its credentials_id and access_token. */
export async function aispCredentials(sandbox: FinqwareSandbox, tenantUserId = 'user-1'): Promise<{ credentials_id: string; access_token: string }> {
  const { status, body } = await exchangeTempToken(sandbox, await completeAispSession(sandbox, tenantUserId));
  if (status !== 200) throw new Error(`token exchange answered ${status}`);
  return { credentials_id: body.credentials_id, access_token: body.access_token };
}

/** Control API call with the app's credentials in X-Client-Id / X-Client-Secret. */
export function controlRequest(path: string, body?: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`${ORIGIN}/_control/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      'X-Client-Id': TEST_CREDENTIALS.clientId,
      'X-Client-Secret': TEST_CREDENTIALS.clientSecret,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

// Request signing, done by hand with node:crypto so the sandbox is checked against the documented
// recipe rather than against our own client.

export const SIGNING_EMAIL = 'guidepost@tenant.example';
/** Key ids as a Google service-account key file gives them (`private_key_id`): 40 hex digits. */
export const SIGNING_KEY_ID = '5a1c9e3b7d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c';
export const OTHER_KEY_ID = 'b2d4f6a8c0e1a3c5e7092b4d6f8a1c3e5a7c9e0b';

/** The JWKS a service account publishes: each public key under its key id. */
export function jwksOf(...keys: readonly [publicKey: KeyObject, kid: string][]): FinqwareJwks {
  return {
    keys: keys.map(([publicKey, kid]) => {
      const { n, e } = publicKey.export({ format: 'jwk' });
      if (!n || !e) throw new TypeError('not an RSA public key');
      return { kid, kty: 'RSA' as const, n, e, alg: 'RS256' as const, use: 'sig' as const };
    }),
  };
}

export function base64url(value: string | Uint8Array): string {
  return Buffer.from(value).toString('base64url');
}

/** An RS256 JWT over `claims`, its kid SIGNING_KEY_ID; `header` overrides or adds header fields. */
export function signJwt(privateKey: KeyObject, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const signingInput = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: SIGNING_KEY_ID, ...header }))}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${sign('RSA-SHA256', Buffer.from(signingInput), privateKey).toString('base64url')}`;
}

/** The documented claims for a body: iss = sub = email, aud, iat, a 60 s exp, and the body's digest. */
export function signingClaims(body: Uint8Array | string, nowMs: number, email = SIGNING_EMAIL): Record<string, unknown> {
  const iat = Math.floor(nowMs / 1000);
  return {
    iss: email,
    sub: email,
    email,
    aud: SIGNING_AUDIENCE,
    iat,
    exp: iat + 60,
    digest: createHash('sha256').update(body).digest('base64'),
  };
}
