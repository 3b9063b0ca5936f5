import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { jpegWithGps, pngWithExif } from '@guidepost/sandbox/testing/files';
import { MAX_UPLOAD_BYTES, STATUS, UPLOAD_FIELDS } from '@guidepost/provider-contracts/finqware';
import { CARD_SKILL } from './catalog';
import type { FinqwareSandbox } from './index';
import {
  answer,
  controlRequest,
  FILES,
  ORIGIN,
  sha256Hex,
  startSession,
  submitStep,
  TEST_CREDENTIALS,
  testSandbox,
  uploadRequest,
  VALID_DATA,
} from './testing';

/** A card session up to the identity_document step: its step_id and the nonce for the upload. */
async function awaitingIdentityUpload(sandbox: FinqwareSandbox, documentType = 'passport'): Promise<{ sessionId: string; stepId: string; nonce: string }> {
  const session = await startSession(sandbox, CARD_SKILL);
  const a = await submitStep(sandbox, session.session_id, session.nonce, CARD_SKILL, 'product_form', VALID_DATA.product_form);
  const b = await submitStep(sandbox, session.session_id, a.body.nonce, CARD_SKILL, 'personal_data', VALID_DATA.personal_data);
  const c = await submitStep(sandbox, session.session_id, b.body.nonce, CARD_SKILL, 'identity_document', { document_type: documentType });
  return { sessionId: session.session_id, stepId: c.body.step_id, nonce: c.body.nonce };
}

/** The same request with its body sent as a stream of `size`-byte chunks, and no Content-Length. */
function inChunks(bytes: ArrayBuffer, size: number, like: Request): Request {
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close();
      controller.enqueue(new Uint8Array(bytes.slice(at, at + size)));
      at += size;
    },
  });
  return new Request(like.url, { method: 'POST', headers: { 'content-type': like.headers.get('content-type')! }, body, duplex: 'half' } as RequestInit);
}

async function upload(sandbox: FinqwareSandbox, request: Request) {
  return answer(await sandbox.handle(request));
}

describe('Finqware sandbox: uploads', () => {
  it('records size, sha256 of the bytes and the detected type, for the control API only', async () => {
    const { sandbox } = testSandbox();
    const pending = await awaitingIdentityUpload(sandbox);
    const file = FILES.jpeg(4096);
    const response = await upload(sandbox, uploadRequest(pending.stepId, { nonce: pending.nonce, file, filename: 'id.jpg' }));
    expect(response.status).toBe(200);
    expect(JSON.stringify(response.body)).not.toContain('sha256');

    const records = await answer(await sandbox.handle(controlRequest('uploads')));
    expect(records.body).toEqual({
      uploads: [
        {
          session_id: pending.sessionId,
          step_id: pending.stepId,
          step: 'identity_document',
          page: 'front',
          size: 4096,
          sha256: sha256Hex(file),
          detected_type: 'image/jpeg',
          file_name: 'id.jpg',
          metadata: false,
        },
      ],
    });
    expect(sandbox.uploads()).toEqual(records.body.uploads);
  });

  it('takes an identity card’s front and back in one upload, and refuses it without its back', async () => {
    const { sandbox } = testSandbox();
    const pending = await awaitingIdentityUpload(sandbox, 'id_card');
    const front = FILES.jpeg(2048);
    const back = FILES.jpeg(3072);
    const alone = await upload(sandbox, uploadRequest(pending.stepId, { nonce: pending.nonce, file: front }));
    expect(alone.status).toBe(400);
    expect(alone.body).toEqual({ message: `Missing fields: ${UPLOAD_FIELDS.fileBack}.` });
    expect(sandbox.uploads()).toEqual([]);
    // The nonce is not spent by a refusal: both sides may follow.
    const both = await upload(sandbox, uploadRequest(pending.stepId, { nonce: pending.nonce, file: front, back }));
    expect(both.status).toBe(200);
    expect(sandbox.uploads().map(({ page, size, sha256 }) => ({ page, size, sha256 }))).toEqual([
      { page: 'front', size: 2048, sha256: sha256Hex(front) },
      { page: 'back', size: 3072, sha256: sha256Hex(back) },
    ]);
  });

  it('refuses a back for a passport, and a back that is not an image or PDF, recording nothing', async () => {
    const { sandbox } = testSandbox();
    const passport = await awaitingIdentityUpload(sandbox);
    const extra = await upload(sandbox, uploadRequest(passport.stepId, { nonce: passport.nonce, file: FILES.pdf(), back: FILES.jpeg() }));
    expect(extra.status).toBe(400);
    expect(extra.body).toEqual({ message: `Unknown fields: ${UPLOAD_FIELDS.fileBack}.` });
    const licence = await awaitingIdentityUpload(sandbox, 'driving_licence');
    const text = await upload(sandbox, uploadRequest(licence.stepId, { nonce: licence.nonce, file: FILES.jpeg(), back: FILES.text() }));
    expect(text.status).toBe(400);
    expect(text.body).toEqual({ message: expect.stringContaining(`${UPLOAD_FIELDS.fileBack} must be one of`) });
    expect(sandbox.uploads()).toEqual([]);
  });

  it('records whether the bytes it received carry EXIF or XMP metadata', async () => {
    const cases = [
      [await jpegWithGps(), true],
      [
        await sharp(await jpegWithGps())
          .jpeg()
          .toBuffer(),
        false,
      ],
      [await pngWithExif(), true],
      [
        await sharp(await pngWithExif())
          .png()
          .toBuffer(),
        false,
      ],
      [
        await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
          .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>')
          .png()
          .toBuffer(),
        true,
      ],
      [FILES.pdf(), null],
    ] as const;
    for (const [file, metadata] of cases) {
      const { sandbox } = testSandbox();
      const pending = await awaitingIdentityUpload(sandbox);
      expect((await upload(sandbox, uploadRequest(pending.stepId, { nonce: pending.nonce, file: new Uint8Array(file) }))).status).toBe(200);
      expect(sandbox.uploads()[0]?.metadata).toBe(metadata);
    }
  });

  it('reads an upload as it streams in: in chunks of a few bytes it records the same size, digest, type and metadata', async () => {
    const files = [await jpegWithGps(), await pngWithExif(), FILES.pdf()];
    for (const file of files) {
      const records = [];
      for (const chunkBytes of [null, 1, 7, 4093]) {
        const { sandbox } = testSandbox();
        const pending = await awaitingIdentityUpload(sandbox);
        const whole = uploadRequest(pending.stepId, { nonce: pending.nonce, file: new Uint8Array(file), filename: 'scan' });
        const request = chunkBytes === null ? whole : inChunks(await whole.arrayBuffer(), chunkBytes, whole);
        expect((await upload(sandbox, request)).status).toBe(200);
        records.push(sandbox.uploads()[0]);
      }
      expect(records[0]).toMatchObject({ size: file.byteLength, sha256: sha256Hex(new Uint8Array(file)) });
      // The same record however the bytes were cut, the EXIF/XMP segments found across chunk boundaries.
      expect(new Set(records.map((record) => JSON.stringify({ ...record, session_id: '', step_id: '' }))).size).toBe(1);
    }
  });

  it('answers a multipart body cut short as unreadable, recording nothing and keeping the nonce', async () => {
    const { sandbox } = testSandbox();
    const pending = await awaitingIdentityUpload(sandbox);
    const whole = uploadRequest(pending.stepId, { nonce: pending.nonce, file: FILES.jpeg(64 * 1024) });
    const bytes = await whole.arrayBuffer();
    const cut = await upload(sandbox, inChunks(bytes.slice(0, bytes.byteLength - 100), 1000, whole));
    expect(cut).toEqual({ status: 400, body: { message: 'The multipart body could not be read.' } });
    expect(sandbox.uploads()).toEqual([]);
    expect((await upload(sandbox, inChunks(bytes, 1000, whole))).status).toBe(200);
  });

  it('accepts a PNG and a PDF for the identity document', async () => {
    for (const [file, type] of [
      [FILES.png(), 'image/png'],
      [FILES.pdf(), 'application/pdf'],
    ] as const) {
      const { sandbox } = testSandbox();
      const pending = await awaitingIdentityUpload(sandbox);
      expect((await upload(sandbox, uploadRequest(pending.stepId, { nonce: pending.nonce, file }))).status).toBe(200);
      expect(sandbox.uploads()[0]?.detected_type).toBe(type);
    }
  });

  it('judges the type from the bytes: a renamed text file is refused', async () => {
    const { sandbox } = testSandbox();
    const pending = await awaitingIdentityUpload(sandbox);
    const { status, body } = await upload(
      sandbox,
      uploadRequest(pending.stepId, { nonce: pending.nonce, file: FILES.text(), filename: 'passport.jpg', type: 'image/jpeg' }),
    );
    expect(status).toBe(400);
    expect(body).toEqual({ message: expect.stringContaining('file') });
    expect(sandbox.uploads()).toEqual([]);
    // The nonce is not spent: a proper file may follow.
    expect((await upload(sandbox, uploadRequest(pending.stepId, { nonce: pending.nonce, file: FILES.jpeg() }))).status).toBe(200);
  });

  it('refuses a PDF selfie: selfies are images', async () => {
    const { sandbox } = testSandbox();
    const pending = await awaitingIdentityUpload(sandbox);
    const identity = await upload(sandbox, uploadRequest(pending.stepId, { nonce: pending.nonce, file: FILES.pdf() }));
    const selfie = await submitStep(sandbox, pending.sessionId, identity.body.nonce, CARD_SKILL, 'selfie', {});
    const { status, body } = await upload(sandbox, uploadRequest(selfie.body.step_id, { nonce: selfie.body.nonce, file: FILES.pdf(), filename: 'me.pdf' }));
    expect(status).toBe(400);
    expect(body).toEqual({ message: expect.stringContaining('image/jpeg, image/png') });
    const png = await upload(sandbox, uploadRequest(selfie.body.step_id, { nonce: selfie.body.nonce, file: FILES.png() }));
    expect(png.body).toMatchObject({ status: STATUS.completed, temp_token: expect.any(String) });
  });

  it('accepts exactly 10 MB and refuses 10 MB + 1 byte', async () => {
    const { sandbox } = testSandbox();
    const tooLarge = await awaitingIdentityUpload(sandbox);
    const over = await upload(sandbox, uploadRequest(tooLarge.stepId, { nonce: tooLarge.nonce, file: FILES.jpeg(MAX_UPLOAD_BYTES + 1) }));
    expect(over.status).toBe(400);
    expect(over.body).toEqual({ message: expect.stringContaining('file too large') });
    const exact = await upload(sandbox, uploadRequest(tooLarge.stepId, { nonce: tooLarge.nonce, file: FILES.jpeg(MAX_UPLOAD_BYTES) }));
    expect(exact.status).toBe(200);
    expect(sandbox.uploads()[0]?.size).toBe(MAX_UPLOAD_BYTES);
  });

  it('refuses a body whose Content-Length is far too large before reading it', async () => {
    const { sandbox } = testSandbox();
    const pending = await awaitingIdentityUpload(sandbox);
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const request = new Request(`${ORIGIN}/v1/steps/${pending.stepId}/upload`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(200 * 1024 * 1024) },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const { status, body } = await upload(sandbox, request);
    expect(status).toBe(400);
    expect(body).toEqual({ message: expect.stringContaining('file too large') });
    expect(pulled).toBeLessThanOrEqual(1);
  });

  it('stops reading an endless body without Content-Length once it passes the limit', async () => {
    const { sandbox } = testSandbox();
    const pending = await awaitingIdentityUpload(sandbox);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1024 * 1024;
        controller.enqueue(new Uint8Array(1024 * 1024));
      },
    });
    const request = new Request(`${ORIGIN}/v1/steps/${pending.stepId}/upload`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    const { status, body } = await upload(sandbox, request);
    expect(status).toBe(400);
    expect(body).toEqual({ message: expect.stringContaining('file too large') });
    // A request may carry a document's two sides: the body limit is twice the file limit.
    expect(sent).toBeLessThan(2 * MAX_UPLOAD_BYTES + 4 * 1024 * 1024);
  });

  it('refuses an empty file and a missing file', async () => {
    const { sandbox } = testSandbox();
    const pending = await awaitingIdentityUpload(sandbox);
    const empty = await upload(sandbox, uploadRequest(pending.stepId, { nonce: pending.nonce, file: new Uint8Array(0) }));
    expect(empty).toEqual({ status: 400, body: { message: expect.stringContaining('empty') } });
    const missing = await upload(sandbox, uploadRequest(pending.stepId, { nonce: pending.nonce, file: null }));
    expect(missing).toEqual({ status: 400, body: { message: expect.stringContaining(`Missing fields: ${UPLOAD_FIELDS.file}`) } });
  });

  it('checks the nonce like a step: wrong or reused → 401, a bare message', async () => {
    const { sandbox } = testSandbox();
    const pending = await awaitingIdentityUpload(sandbox);
    const wrong = await upload(sandbox, uploadRequest(pending.stepId, { nonce: 'wrong', file: FILES.jpeg() }));
    expect(wrong).toEqual({ status: 401, body: { message: expect.stringContaining('nonce') } });
    expect((await upload(sandbox, uploadRequest(pending.stepId, { nonce: pending.nonce, file: FILES.jpeg() }))).status).toBe(200);
    const reused = await upload(sandbox, uploadRequest(pending.stepId, { nonce: pending.nonce, file: FILES.jpeg() }));
    expect(reused).toEqual({ status: 401, body: { message: expect.stringContaining('nonce') } });
  });

  it('refuses an unknown step_id, a step without upload, and a second upload with 400', async () => {
    const { sandbox } = testSandbox();
    const session = await startSession(sandbox, CARD_SKILL);
    const product = await submitStep(sandbox, session.session_id, session.nonce, CARD_SKILL, 'product_form', VALID_DATA.product_form);
    const noUpload = await upload(sandbox, uploadRequest(product.body.step_id, { nonce: product.body.nonce, file: FILES.jpeg() }));
    expect(noUpload).toEqual({ status: 400, body: { message: expect.stringContaining('does not await an upload') } });
    const unknown = await upload(sandbox, uploadRequest('00000000-0000-4000-8000-000000000000', { nonce: product.body.nonce, file: FILES.jpeg() }));
    expect(unknown).toEqual({ status: 400, body: { message: expect.stringContaining('No step') } });

    const pending = await awaitingIdentityUpload(sandbox);
    const done = await upload(sandbox, uploadRequest(pending.stepId, { nonce: pending.nonce, file: FILES.jpeg() }));
    const again = await upload(sandbox, uploadRequest(pending.stepId, { nonce: done.body.nonce, file: FILES.jpeg() }));
    expect(again).toEqual({ status: 400, body: { message: expect.stringContaining('does not await an upload') } });
  });

  it('refuses a wrong client_id or skill, and a body that is not multipart', async () => {
    const { sandbox } = testSandbox();
    const pending = await awaitingIdentityUpload(sandbox);
    const client = await upload(sandbox, uploadRequest(pending.stepId, { nonce: pending.nonce, file: FILES.jpeg(), clientId: 'other' }));
    expect(client).toEqual({ status: 401, body: { message: expect.stringContaining('client_id') } });
    const skill = await upload(sandbox, uploadRequest(pending.stepId, { nonce: pending.nonce, file: FILES.jpeg(), skill: 'xyz_aisp_sbx_#1.0' }));
    expect(skill).toEqual({ status: 400, body: { message: expect.stringContaining('another skill') } });
    const json = await upload(
      sandbox,
      new Request(`${ORIGIN}/v1/steps/${pending.stepId}/upload`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: TEST_CREDENTIALS.clientId, nonce: pending.nonce, skill: CARD_SKILL }),
      }),
    );
    expect(json).toEqual({ status: 400, body: { message: expect.stringContaining('multipart') } });
  });

  it('refuses unknown multipart fields and a file sent as text', async () => {
    const { sandbox } = testSandbox();
    const pending = await awaitingIdentityUpload(sandbox);
    const form = new FormData();
    form.append('client_id', TEST_CREDENTIALS.clientId);
    form.append('nonce', pending.nonce);
    form.append('skill', CARD_SKILL);
    form.append('file', 'not a file');
    const text = await upload(sandbox, new Request(`${ORIGIN}/v1/steps/${pending.stepId}/upload`, { method: 'POST', body: form }));
    expect(text).toEqual({ status: 400, body: { message: expect.stringContaining('file part') } });
    const extra = uploadRequest(pending.stepId, { nonce: pending.nonce, file: FILES.jpeg() });
    const withExtra = await extra.formData();
    withExtra.append('comment', 'hello');
    const unknown = await upload(sandbox, new Request(extra.url, { method: 'POST', body: withExtra }));
    expect(unknown).toEqual({ status: 400, body: { message: expect.stringContaining('Unknown fields: comment') } });
  });
});
