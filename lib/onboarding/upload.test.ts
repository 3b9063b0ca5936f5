import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '@guidepost/provider-contracts/finqware';
import { createFinqwareClient } from '@/lib/finqware/client';
import { createFinqwareSandbox } from '@guidepost/sandbox/finqware';
import { CLEAN_PDF, jpegWithGps, pdfFromObjects } from '@guidepost/sandbox/testing/files';
import { databaseKinds, insertUser, useTestDatabase } from '@/test/databases';
import { PERSON, PRODUCT } from '@/test/onboarding-answers';
import { clearCatalogCache } from './catalog';
import type { OnboardingDeps } from './deps';
import { startOnboarding, submitFormStep } from './steps';
import { receiveUpload } from './upload';
import { getOnboarding } from './views';

// The upload service answers in the onboarding's terms (the route handler turns them into statuses):
// the file's refusals with their reason and sentence, the step's own refusals with their code.

const CREDENTIALS = { clientId: 'upload-client', clientAppKey: 'upload-app-key', clientSecret: 'upload-secret-0123456789' };
const CARD = 'xyz_card_sbx_#3.0';
const SCRIPTED_PDF = pdfFromObjects([
  '<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>',
  '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>',
  '<< /S /JavaScript /JS (app.alert(1)) >>',
]);

type TestFile = { bytes: Uint8Array; name: string; type: string };

function uploadRequest(fields: Record<string, string>, file?: TestFile, headers: Record<string, string> = {}, back?: TestFile): Request {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  if (file) form.set('file', new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
  if (back) form.set('fileBack', new File([new Uint8Array(back.bytes)], back.name, { type: back.type }));
  return new Request('http://portal.test/api/onboarding/upload', { method: 'POST', body: form, headers });
}

/** The multipart body a browser would send for this form, and its Content-Type. */
async function encoded(parts: Array<[string, string | TestFile]>): Promise<{ bytes: Uint8Array; contentType: string }> {
  const form = new FormData();
  for (const [name, value] of parts)
    form.append(name, typeof value === 'string' ? value : new File([new Uint8Array(value.bytes)], value.name, { type: value.type }));
  const response = new Response(form);
  return { bytes: new Uint8Array(await response.arrayBuffer()), contentType: response.headers.get('content-type')! };
}

/**
 * A request whose body arrives in small chunks without a Content-Length (chunked transfer), unless
 * `contentLength` declares one; `stats` counts what the server pulled.
 */
function streamedRequest(body: { bytes: Uint8Array; contentType: string }, options: { chunk?: number; contentLength?: number } = {}) {
  const chunk = options.chunk ?? 64 * 1024 + 7;
  const stats = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (stats.pulled >= body.bytes.byteLength) return controller.close();
        controller.enqueue(body.bytes.slice(stats.pulled, stats.pulled + chunk));
        stats.pulled = Math.min(body.bytes.byteLength, stats.pulled + chunk);
      },
      cancel() {
        stats.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  const headers: Record<string, string> = { 'content-type': body.contentType };
  if (options.contentLength !== undefined) headers['content-length'] = String(options.contentLength);
  const request = new Request('http://portal.test/api/onboarding/upload', { method: 'POST', body: stream, headers, duplex: 'half' } as RequestInit);
  return { request, stats };
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe.each(databaseKinds)('receiveUpload on %s', (kind) => {
  const database = useTestDatabase(kind);
  let clock: { ms: number };
  let deps: OnboardingDeps;
  let sandbox: ReturnType<typeof createFinqwareSandbox>;

  beforeEach(() => {
    clock = { ms: Date.now() };
    sandbox = createFinqwareSandbox({ ...CREDENTIALS, now: () => clock.ms });
    clearCatalogCache();
    const finqware = createFinqwareClient({ apiUrl: 'http://finqware.test', ...CREDENTIALS, fetch: (input, init) => sandbox.handle(new Request(input, init)) });
    deps = { finqware, now: () => new Date(clock.ms) };
  });

  /** A card onboarding whose current step is the identity document (step 2). */
  async function atDocumentStep() {
    const userId = await insertUser(database);
    const onboardingId = await startOnboarding(userId, CARD, deps);
    await submitFormStep(userId, onboardingId, 0, PRODUCT, deps);
    await submitFormStep(userId, onboardingId, 1, PERSON, deps);
    return { userId, onboardingId, stepIndex: 2, maxBytes: MAX_UPLOAD_BYTES };
  }

  const pdf = (bytes: Uint8Array = CLEAN_PDF) => ({ bytes, name: 'passport.pdf', type: 'application/pdf' });

  it('refuses a body declared over the limit before anything is looked up', async () => {
    const outcome = await receiveUpload(
      // A request may carry a document's two sides: over twice the limit, it cannot be one.
      uploadRequest({}, undefined, { 'content-length': String(2 * MAX_UPLOAD_BYTES + 100_000) }),
      {
        userId: 'nobody',
        onboardingId: 'none',
        stepIndex: 2,
        maxBytes: MAX_UPLOAD_BYTES,
      },
      deps,
    );
    expect(outcome).toEqual({
      ok: false,
      error: 'file',
      file: 'too_large',
      field: 'file',
      message: 'The file is larger than 10 MB. Use a smaller photo or scan.',
    });
  });

  it('does not know a step that is not an upload, nor another user’s onboarding', async () => {
    const target = await atDocumentStep();
    const notFound = { ok: false, error: 'not_found', message: 'This step was not found. Reload the page.' };
    expect(await receiveUpload(uploadRequest({ documentType: 'passport' }, pdf()), { ...target, stepIndex: 1 }, deps)).toEqual(notFound);
    const stranger = await insertUser(database);
    expect(await receiveUpload(uploadRequest({ documentType: 'passport' }, pdf()), { ...target, userId: stranger }, deps)).toEqual(notFound);
  });

  it('says why a file cannot be used: not what it claims, or a PDF that can run code', async () => {
    const target = await atDocumentStep();
    const text = { bytes: new TextEncoder().encode('not a document at all'), name: 'passport.pdf', type: 'application/pdf' };
    expect(await receiveUpload(uploadRequest({ documentType: 'passport' }, text), target, deps)).toMatchObject({
      ok: false,
      error: 'file',
      file: 'unreadable',
      message: expect.stringContaining('This file is not a JPEG, PNG or PDF file'),
    });
    expect(await receiveUpload(uploadRequest({ documentType: 'passport' }, pdf(SCRIPTED_PDF)), target, deps)).toMatchObject({
      ok: false,
      error: 'file',
      file: 'refused',
      message: expect.stringContaining('scripts, automatic actions or attached files'),
    });
    expect((await getOnboarding(target.userId, target.onboardingId))?.current).toBe(2);
  });

  it('puts a missing document type next to its field', async () => {
    const target = await atDocumentStep();
    expect(await receiveUpload(uploadRequest({}, pdf()), target, deps)).toEqual({
      ok: false,
      error: 'invalid_input',
      message: 'Some details need fixing.',
      fieldErrors: { documentType: ['Choose the kind of document.'] },
    });
  });

  it('takes an identity card front and back, and says which side is missing or refused, next to its field', async () => {
    const target = await atDocumentStep();
    const photo = { bytes: await jpegWithGps(), name: 'card-front.jpg', type: 'image/jpeg' };
    expect(await receiveUpload(uploadRequest({ documentType: 'id_card' }, photo), target, deps)).toEqual({
      ok: false,
      error: 'file',
      file: 'unreadable',
      field: 'fileBack',
      message: 'Choose a file.',
    });
    const text = { bytes: new TextEncoder().encode('not a document at all'), name: 'back.jpg', type: 'image/jpeg' };
    expect(await receiveUpload(uploadRequest({ documentType: 'id_card' }, photo, {}, text), target, deps)).toMatchObject({
      ok: false,
      error: 'file',
      field: 'fileBack',
      message: expect.stringContaining('This file is not a JPEG, PNG or PDF file'),
    });
    expect(await receiveUpload(uploadRequest({ documentType: 'id_card' }, photo, {}, pdf()), target, deps)).toEqual({
      ok: true,
      next: `/onboarding/${target.onboardingId}`,
    });
    expect((await getOnboarding(target.userId, target.onboardingId))?.answers[2]).toMatchObject({
      fileName: 'card-front.jpg',
      backFileName: 'passport.pdf',
    });
  });

  it('sends a clean file and moves on; after the nonce expired it offers the restart', async () => {
    const target = await atDocumentStep();
    expect(await receiveUpload(uploadRequest({ documentType: 'passport' }, pdf()), target, deps)).toEqual({
      ok: true,
      next: `/onboarding/${target.onboardingId}`,
    });
    expect((await getOnboarding(target.userId, target.onboardingId))?.current).toBe(3);

    clock.ms += 31 * 60 * 1000;
    const selfie = { bytes: await jpegWithGps(), name: 'me.jpg', type: 'image/jpeg' };
    expect(await receiveUpload(uploadRequest({}, selfie), { ...target, stepIndex: 3 }, deps)).toMatchObject({
      ok: false,
      error: 'nonce_expired',
      restart: true,
    });
  });

  describe('reading the request as it arrives', () => {
    const TOO_LARGE = 'The file is larger than 10 MB. Use a smaller photo or scan.';
    const CUT_OFF = 'The upload was cut off before it was complete. Choose the file again and retry.';
    /** A PDF of `size` bytes that starts like one (only its size and first bytes matter here). */
    const pdfOfSize = (size: number) => {
      const bytes = new Uint8Array(size).fill(0x20);
      bytes.set(CLEAN_PDF.subarray(0, 64));
      return pdf(bytes);
    };

    it('takes a chunked upload (no Content-Length) in small pieces, and Finqware gets exactly the file', async () => {
      const target = await atDocumentStep();
      const { request } = streamedRequest(
        await encoded([
          ['documentType', 'passport'],
          ['file', pdf()],
        ]),
        { chunk: 7 },
      );
      expect(await receiveUpload(request, target, deps)).toEqual({ ok: true, next: `/onboarding/${target.onboardingId}` });
      expect(sandbox.uploads()).toEqual([expect.objectContaining({ page: 'front', size: CLEAN_PDF.byteLength, sha256: sha256(CLEAN_PDF) })]);
    });

    it('stops reading a chunked body at the cap: too large, next to the file, and nothing reaches Finqware', async () => {
      const target = await atDocumentStep();
      const body = await encoded([
        ['documentType', 'id_card'],
        ['file', pdfOfSize(MAX_UPLOAD_BYTES)],
        ['fileBack', pdfOfSize(MAX_UPLOAD_BYTES + 200_000)],
      ]);
      const { request, stats } = streamedRequest(body);
      expect(await receiveUpload(request, target, deps)).toEqual({ ok: false, error: 'file', file: 'too_large', field: 'file', message: TOO_LARGE });
      expect(stats.cancelled).toBe(true);
      expect(stats.pulled).toBeLessThan(body.bytes.byteLength);
      expect(sandbox.uploads()).toEqual([]);
      expect((await getOnboarding(target.userId, target.onboardingId))?.current).toBe(2);
    });

    it('refuses a body declared over the cap at the document step, before reading it', async () => {
      const target = await atDocumentStep();
      const body = await encoded([
        ['documentType', 'passport'],
        ['file', pdf()],
      ]);
      const { request, stats } = streamedRequest(body, { contentLength: 2 * MAX_UPLOAD_BYTES + 64 * 1024 + 1 });
      expect(await receiveUpload(request, target, deps)).toEqual({ ok: false, error: 'file', file: 'too_large', field: 'file', message: TOO_LARGE });
      expect(stats.pulled).toBe(0);
    });

    it('says how large a file over the limit is, next to its own field, when the body is within the cap', async () => {
      const target = await atDocumentStep();
      const photo = { bytes: await jpegWithGps(), name: 'card-front.jpg', type: 'image/jpeg' };
      const body = await encoded([
        ['documentType', 'id_card'],
        ['file', photo],
        ['fileBack', pdfOfSize(10_400_000)],
      ]);
      expect(await receiveUpload(streamedRequest(body).request, target, deps)).toEqual({
        ok: false,
        error: 'file',
        file: 'too_large',
        field: 'fileBack',
        // Counted to its end though not kept: its real size.
        message: 'This file is 10.4 MB; the limit is 10 MB. Use a smaller photo or scan.',
      });
      expect(sandbox.uploads()).toEqual([]);
    });

    it('says the upload was cut off when the body stops mid-file, with or without a Content-Length', async () => {
      const target = await atDocumentStep();
      const body = await encoded([
        ['documentType', 'passport'],
        ['file', pdfOfSize(300_000)],
      ]);
      const half = { ...body, bytes: body.bytes.subarray(0, 150_000) };
      const cutOff = { ok: false, error: 'file', file: 'unreadable', field: 'file', message: CUT_OFF };
      // Declared whole, sent in part: the body ends short of its length.
      expect(await receiveUpload(streamedRequest(half, { contentLength: body.bytes.byteLength }).request, target, deps)).toEqual(cutOff);
      // Chunked: the body ends before the multipart's closing boundary.
      expect(await receiveUpload(streamedRequest(half).request, target, deps)).toEqual(cutOff);
      expect(sandbox.uploads()).toEqual([]);
    });

    it('asks for the file when there is none, or only a text field of its name', async () => {
      const target = await atDocumentStep();
      const chooseFile = { ok: false, error: 'file', file: 'unreadable', field: 'file', message: 'Choose a file.' };
      expect(await receiveUpload(streamedRequest(await encoded([['documentType', 'passport']])).request, target, deps)).toEqual(chooseFile);
      const asText = await encoded([
        ['documentType', 'passport'],
        ['file', 'passport.pdf'],
      ]);
      expect(await receiveUpload(streamedRequest(asText).request, target, deps)).toEqual(chooseFile);
    });

    it('refuses two files for one side, or a side the document does not have, next to that field: none is dropped unsaid', async () => {
      const target = await atDocumentStep();
      const wrongPages = (field: string) => ({ ok: false, error: 'file', file: 'unreadable', field, message: 'Send exactly the pages this document has.' });
      const twice = await encoded([
        ['documentType', 'passport'],
        ['file', pdf()],
        ['file', pdf()],
      ]);
      expect(await receiveUpload(streamedRequest(twice).request, target, deps)).toEqual(wrongPages('file'));
      const passportWithBack = await encoded([
        ['documentType', 'passport'],
        ['file', pdf()],
        ['fileBack', pdf()],
      ]);
      expect(await receiveUpload(streamedRequest(passportWithBack).request, target, deps)).toEqual(wrongPages('fileBack'));
      const elsewhere = await encoded([
        ['documentType', 'passport'],
        ['file', pdf()],
        ['attachment', pdf()],
      ]);
      expect(await receiveUpload(streamedRequest(elsewhere).request, target, deps)).toEqual(wrongPages('file'));
      expect(sandbox.uploads()).toEqual([]);
      expect((await getOnboarding(target.userId, target.onboardingId))?.current).toBe(2);
    });

    it('cannot read a body that is not multipart/form-data', async () => {
      const target = await atDocumentStep();
      const json = { bytes: new TextEncoder().encode('{"documentType":"passport"}'), contentType: 'application/json' };
      expect(await receiveUpload(streamedRequest(json).request, target, deps)).toEqual({
        ok: false,
        error: 'file',
        file: 'unreadable',
        field: 'file',
        message: 'The upload could not be read. Choose the file again.',
      });
    });
  });
});
