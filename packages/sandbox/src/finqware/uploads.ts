import { createHash } from 'node:crypto';
import { MAX_UPLOAD_BYTES, PATHS, UPLOAD_FIELDS, UPLOAD_TYPES, type DocumentPage, type StepKind } from '@guidepost/provider-contracts/finqware';
import { streamMultipart, type FileSink } from '../kit/multipart';
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

/**
 * How a file's structure is walked as it streams by: skip some bytes, read a few, and decide from them
 * what to skip and read next, or the verdict. Only the bytes asked for are kept, never the file.
 */
type Walk = { skip: number; read: number; then: (bytes: Buffer) => Walk } | boolean;

class StructureWalker {
  private pending: Buffer[] = [];
  private have = 0;

  constructor(private walk: Walk) {}

  write(chunk: Uint8Array): void {
    let at = 0;
    while (typeof this.walk !== 'boolean' && at < chunk.byteLength) {
      const walk = this.walk;
      if (walk.skip > 0) {
        const skipped = Math.min(walk.skip, chunk.byteLength - at);
        this.walk = { ...walk, skip: walk.skip - skipped };
        at += skipped;
        continue;
      }
      const taken = Math.min(walk.read - this.have, chunk.byteLength - at);
      this.pending.push(Buffer.from(chunk.slice(at, at + taken)));
      this.have += taken;
      at += taken;
      if (this.have === walk.read) {
        const bytes = Buffer.concat(this.pending);
        this.pending = [];
        this.have = 0;
        this.walk = walk.then(bytes);
      }
    }
  }

  /** The verdict; a file that ends before one was reached carries nothing. */
  end(): boolean {
    return typeof this.walk === 'boolean' && this.walk;
  }
}

/** JPEG: any APP1 (EXIF or XMP) or APP13 (Photoshop/IPTC) segment before the image data. */
function jpegMetadata(): Walk {
  const marker0xff = (byte: Buffer): Walk => (byte[0] === 0xff ? { skip: 0, read: 1, then: marker } : false);
  const marker = (byte: Buffer): Walk => {
    const code = byte[0]!;
    if (code === 0xff) return { skip: 0, read: 1, then: marker }; // a fill byte
    if (code === 0xd8 || (code >= 0xd0 && code <= 0xd7) || code === 0x01) return { skip: 0, read: 1, then: marker0xff }; // no length
    if (code === 0xda || code === 0xd9) return false; // image data starts: no more segments
    return {
      skip: 0,
      read: 2,
      then: (length) => {
        if (code === 0xe1 || code === 0xed) return true;
        // The length counts its own two bytes.
        const rest = length.readUInt16BE(0) - 2;
        return rest < 0 ? false : { skip: rest, read: 1, then: marker0xff };
      },
    };
  };
  // After the start of image (FF D8).
  return { skip: 2, read: 1, then: marker0xff };
}

/** PNG: an eXIf chunk, or a text chunk holding XMP or an EXIF/IPTC profile. */
function pngMetadata(): Walk {
  const METADATA_KEYWORD = /^XML:com\.adobe\.xmp$|^Raw profile type (exif|xmp|iptc|APP1)$/i;
  // Each chunk: length (4), type (4), data (length), CRC (4).
  const chunk = (header: Buffer): Walk => {
    const length = header.readUInt32BE(0);
    const type = header.toString('latin1', 4, 8);
    if (type === 'eXIf') return true;
    if (type === 'IEND') return false;
    const next = (skip: number): Walk => ({ skip, read: 8, then: chunk });
    if ((type === 'iTXt' || type === 'tEXt' || type === 'zTXt') && length > 0) {
      // The keyword: up to 79 bytes and a NUL.
      const read = Math.min(80, length);
      return { skip: 0, read, then: (data) => METADATA_KEYWORD.test(data.toString('latin1').split('\0')[0] ?? '') || next(length - read + 4) };
    }
    return next(length + 4);
  };
  // After the 8-byte signature.
  return { skip: 8, read: 8, then: chunk };
}

const METADATA_WALKS: Record<string, () => Walk> = { 'image/jpeg': jpegMetadata, 'image/png': pngMetadata };
const HEAD_BYTES = Math.max(...MAGIC.map(({ bytes }) => bytes.length));

/** What the sandbox keeps of a file it received: never its bytes. */
interface ReceivedFile {
  filename: string;
  size: number;
  sha256: string;
  /** From the first bytes, whatever the name or declared type say; null when unknown. */
  detected: string | null;
  /** Whether an image still carries metadata (so a test can prove a portal strips it); null for other types. */
  metadata: boolean | null;
}

/** A file part summed up as it streams by: its size, digest, type from its first bytes and, for an image, whether it carries metadata. */
class FileSummary implements FileSink<ReceivedFile> {
  private size = 0;
  private readonly hash = createHash('sha256');
  private head = Buffer.alloc(0);
  /** Chosen once the first bytes tell the type; undefined until then, null when the type has no metadata to look for. */
  private walker: StructureWalker | null | undefined;
  private detected: string | null = null;

  constructor(private readonly filename: string) {}

  write(chunk: Uint8Array): void {
    this.size += chunk.byteLength;
    this.hash.update(chunk);
    if (this.walker !== undefined) return this.walker?.write(chunk);
    const taken = Math.min(HEAD_BYTES - this.head.byteLength, chunk.byteLength);
    this.head = Buffer.concat([this.head, chunk.subarray(0, taken)]);
    if (this.head.byteLength === HEAD_BYTES) this.startWalk(chunk.subarray(taken));
  }

  private startWalk(rest: Uint8Array): void {
    this.detected = detectFileType(this.head);
    const walk = this.detected === null ? undefined : METADATA_WALKS[this.detected];
    this.walker = walk ? new StructureWalker(walk()) : null;
    this.walker?.write(this.head);
    this.walker?.write(rest);
  }

  end(): ReceivedFile {
    if (this.walker === undefined) this.startWalk(new Uint8Array(0));
    const { filename, size, detected } = this;
    return { filename, size, sha256: this.hash.digest('hex'), detected, metadata: this.walker ? this.walker.end() : null };
  }
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

const isReceivedFile = (value: unknown): value is ReceivedFile => typeof value === 'object' && value !== null;

async function upload(context: RouteContext): Promise<Response> {
  const { state, credentials, params } = context;
  const contentType = context.request.headers.get('content-type') ?? '';
  const multipart = /^multipart\/form-data\b/i.test(contentType);
  // Parsed as it streams in, each file summed up on the way: the sandbox never holds an upload whole.
  const read = await context.streamBody(async (chunks) => (multipart ? streamMultipart(chunks, contentType, (name) => new FileSummary(name)) : null));
  if (read instanceof Response) return read;
  if (!multipart) return finqwareError('invalid_field', 'The upload must be multipart/form-data.');
  const form = read.value;
  if (form === null) return finqwareError('invalid_field', 'The multipart body could not be read.');

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
  const missing = step.pages.map((page) => PAGE_FIELDS[page]).filter((field) => !isReceivedFile(values[field]));
  if (missing.length > 0) return finqwareError('missing_fields', `Missing fields: ${missing.join(', ')}.`);
  const extra = Object.entries(PAGE_FIELDS)
    .filter(([page, field]) => !step.pages.includes(page as DocumentPage) && values[field] !== undefined)
    .map(([, field]) => field);
  if (extra.length > 0) return finqwareError('unknown_fields', `Unknown fields: ${extra.join(', ')}.`);

  const accepted = (UPLOAD_TYPES as Partial<Record<StepKind, readonly string[]>>)[step.kind] ?? [];
  const received: Array<{ page: DocumentPage; file: ReceivedFile }> = [];
  // Every side is checked before any is recorded: a refused upload leaves nothing behind.
  for (const page of step.pages) {
    const field = PAGE_FIELDS[page];
    const file = values[field] as ReceivedFile;
    if (file.size === 0) return finqwareError('invalid_field', `${field} is empty.`);
    if (file.size > MAX_UPLOAD_BYTES) return finqwareError('invalid_field', FILE_TOO_LARGE);
    if (file.detected === null || !accepted.includes(file.detected)) {
      return finqwareError('invalid_field', `${field} must be one of ${accepted.join(', ')} (judged from its content, not its name).`);
    }
    received.push({ page, file });
  }

  for (const { page, file } of received) {
    state.recordUpload({
      session_id: session.id,
      step_id: step.id,
      step: step.step,
      page,
      size: file.size,
      sha256: file.sha256,
      detected_type: file.detected!,
      file_name: file.filename,
      metadata: file.metadata,
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
    streamsBody: true,
    tooLarge: () => bareError(FILE_TOO_LARGE, FINQWARE_ERRORS.invalid_field.http),
    handle: upload,
  }),
];
