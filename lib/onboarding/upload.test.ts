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

describe.each(databaseKinds)('receiveUpload on %s', (kind) => {
  const database = useTestDatabase(kind);
  let clock: { ms: number };
  let deps: OnboardingDeps;

  beforeEach(() => {
    clock = { ms: Date.now() };
    const sandbox = createFinqwareSandbox({ ...CREDENTIALS, now: () => clock.ms });
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
});
