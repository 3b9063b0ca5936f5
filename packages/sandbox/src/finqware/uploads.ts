import { createHash } from 'node:crypto';
import { MAX_UPLOAD_BYTES, PATHS, UPLOAD_FIELDS, UPLOAD_TYPES, type DocumentPage, type StepKind } from '@guidepost/provider-contracts/finqware';
import { parseMultipart, type FilePart } from '../kit/multipart';
import { answeringBare } from './api';
import { checkFields } from './body';
import { checkTenantKeys } from './credentials';
import { bareError, FINQWARE_ERRORS, finqwareError, refuse } from './errors';
import { routePattern, type Route, type RouteContext } from './router';
import { sessionForSkill, stepCompleted } from './sessions';

/** Room for the multipart boundaries and text fields around the files of the largest size. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
/** A document's front and back, each up to the limit. */
const MAX_FILES = 2;

/** The multipart field of each side of a document. */
const PAGE_FIELDS: Record<DocumentPage, string> = { front: UPLOAD_FIELDS.file, back: UPLOAD_FIELDS.fileBack };

const MAGIC: readonly { type: string; bytes: readonly number[] }[] = [
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'application/pdf', bytes: [...'%PDF-'].map((char) => char.charCodeAt(0)) },
];

/** The file's type from its first bytes, whatever its name or declared type say; null when unknown. */
export function detectFileType(bytes: Uint8Array): string | null {
  return MAGIC.find(({ bytes: magic }) => magic.every((byte, index) => bytes[index] === byte))?.type ?? null;
}

const latin1 = (bytes: Uint8Array, start: number, end: number) =>
  Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.max(0, end - start)).toString('latin1');

/** JPEG: any APP1 (EXIF or XMP) or APP13 (Photoshop/IPTC) segment before the image data. */
function jpegMetadata(bytes: Uint8Array): boolean {
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1]!;
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xff) {
      at += marker === 0xff ? 1 : 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return false; // image data starts: no more segments
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    if (marker === 0xe1 || marker === 0xed) return true;
    at += 2 + length;
  }
  return false;
}

/** PNG: an eXIf chunk, or a text chunk holding XMP or an EXIF/IPTC profile. */
function pngMetadata(bytes: Uint8Array): boolean {
  let at = 8;
  while (at + 8 <= bytes.length) {
    const length = ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
    const type = latin1(bytes, at + 4, at + 8);
    if (type === 'eXIf') return true;
    if (type === 'iTXt' || type === 'tEXt' || type === 'zTXt') {
      const keyword = latin1(bytes, at + 8, Math.min(at + 8 + 80, bytes.length)).split('\0')[0] ?? '';
      if (/^XML:com\.adobe\.xmp$|^Raw profile type (exif|xmp|iptc|APP1)$/i.test(keyword)) return true;
    }
    if (type === 'IEND') return false;
    at += 12 + length;
  }
  return false;
}

/** Whether an accepted image still carries metadata (so a test can prove a portal strips it). */
function carriesMetadata(bytes: Uint8Array, type: string): boolean | null {
  if (type === 'image/jpeg') return jpegMetadata(bytes);
  if (type === 'image/png') return pngMetadata(bytes);
  return null;
}

const TEXT_FIELDS = {
  [UPLOAD_FIELDS.clientId]: 'string',
  client_app_key: 'string?',
  [UPLOAD_FIELDS.nonce]: 'string',
  [UPLOAD_FIELDS.skill]: 'string',
  // Stand for the file parts, checked for presence here and against the step's sides and content below.
  [UPLOAD_FIELDS.file]: 'object',
  [UPLOAD_FIELDS.fileBack]: 'object?',
} as const;

const FILE_TOO_LARGE = `file too large (at most ${MAX_UPLOAD_BYTES} bytes).`;

async function readForm(context: RouteContext): Promise<Array<[string, string | FilePart]> | Response> {
  const contentType = context.request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\b/i.test(contentType)) return finqwareError('invalid_field', 'The upload must be multipart/form-data.');
  // Parsed from the bytes already read, which are also the ones a signature covers; files are views into them.
  return (await parseMultipart(context.body, contentType)) ?? finqwareError('invalid_field', 'The multipart body could not be read.');
}

const isFilePart = (value: unknown): value is FilePart => typeof value === 'object' && value !== null;

async function upload(context: RouteContext): Promise<Response> {
  const { state, credentials, params } = context;
  const form = await readForm(context);
  if (form instanceof Response) return form;

  const values: Record<string, unknown> = {};
  for (const [name, value] of form) {
    if (Object.hasOwn(values, name)) return finqwareError('invalid_field', `${name} must be sent once.`);
    values[name] = value;
  }
  for (const field of Object.values(PAGE_FIELDS)) {
    if (typeof values[field] === 'string') return finqwareError('invalid_field', `${field} must be a file part.`);
  }
  const parts = Object.fromEntries(Object.values(PAGE_FIELDS).map((field) => [field, values[field] === undefined ? undefined : {}]));
  const checked = checkFields({ ...values, ...parts }, TEXT_FIELDS);
  if (!checked.ok) return refuse(checked.refusal, 'bare');
  const fields = checked.value;

  const refused = checkTenantKeys({ client_id: fields.client_id, client_app_key: fields.client_app_key }, credentials);
  if (refused) return refused;
  const step = state.findStep(params[0] ?? '');
  if (!step) return finqwareError('invalid_step', 'No step with this step_id.');
  const session = sessionForSkill(state.findSession(step.sessionId), fields.skill);
  if (session instanceof Response) return session;
  const nonceRefused = state.checkNonce(session, fields.nonce);
  if (nonceRefused) return finqwareError(nonceRefused.code, nonceRefused.message);
  if (session.awaitingUpload !== step.id) return finqwareError('invalid_step', 'This step does not await an upload.');

  // Exactly the sides of the step's document: a missing back and a back a passport does not have are both refused.
  const missing = step.pages.map((page) => PAGE_FIELDS[page]).filter((field) => !isFilePart(values[field]));
  if (missing.length > 0) return finqwareError('missing_fields', `Missing fields: ${missing.join(', ')}.`);
  const extra = Object.entries(PAGE_FIELDS)
    .filter(([page, field]) => !step.pages.includes(page as DocumentPage) && values[field] !== undefined)
    .map(([, field]) => field);
  if (extra.length > 0) return finqwareError('unknown_fields', `Unknown fields: ${extra.join(', ')}.`);

  const accepted = (UPLOAD_TYPES as Partial<Record<StepKind, readonly string[]>>)[step.kind] ?? [];
  const received: Array<{ page: DocumentPage; file: FilePart; detected: string }> = [];
  // Every side is checked before any is recorded: a refused upload leaves nothing behind.
  for (const page of step.pages) {
    const field = PAGE_FIELDS[page];
    const file = values[field] as FilePart;
    if (file.bytes.byteLength === 0) return finqwareError('invalid_field', `${field} is empty.`);
    if (file.bytes.byteLength > MAX_UPLOAD_BYTES) return finqwareError('invalid_field', FILE_TOO_LARGE);
    const detected = detectFileType(file.bytes);
    if (detected === null || !accepted.includes(detected)) {
      return finqwareError('invalid_field', `${field} must be one of ${accepted.join(', ')} (judged from its content, not its name).`);
    }
    received.push({ page, file, detected });
  }

  for (const { page, file, detected } of received) {
    state.recordUpload({
      session_id: session.id,
      step_id: step.id,
      step: step.step,
      page,
      size: file.bytes.byteLength,
      sha256: createHash('sha256').update(file.bytes).digest('hex'),
      detected_type: detected,
      file_name: file.filename,
      metadata: carriesMetadata(file.bytes, detected),
    });
  }
  return stepCompleted(state, session, step.id);
}

/**
 * `POST /steps/{step_id}/upload`: the file (or a document's front and back) that completes an upload step.
 * [ours] It answers like a step submission, refusals included: a bare `{ message }`.
 */
export const uploadRoutes: readonly Route[] = [
  answeringBare({
    method: 'POST',
    path: routePattern(PATHS.upload),
    maxBodyBytes: MAX_FILES * MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES,
    tooLarge: () => bareError(FILE_TOO_LARGE, FINQWARE_ERRORS.invalid_field.http),
    handle: upload,
  }),
];
