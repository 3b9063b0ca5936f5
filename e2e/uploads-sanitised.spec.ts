import type { Page } from '@playwright/test';
import { hugePng, JPEG_HTML_POLYGLOT, jpegWithGps, OPEN_ACTION_JS_PDF } from '@guidepost/sandbox/testing/files';
import { expect, expectAccessible, signUp, test } from './fixtures';
import { JPEG, PDF, personalStep, productStep, startCard } from './flows';
import { finqwareControl } from './sandbox';
import type { UploadRecord } from '@guidepost/sandbox/finqware';

// Uploads are cleaned on the server before Finqware sees them (issue 8, item 9). The sandbox's uploads
// list is shared with the specs running beside this one: each test reads it before and after, and
// looks only at what appeared in between.

const uploadsNow = async (page: Page) => (await finqwareControl<{ uploads: UploadRecord[] }>(page.request, 'uploads')).uploads;

async function toIdentityStep(page: Page) {
  await signUp(page);
  await startCard(page);
  await productStep(page);
  await personalStep(page);
}

/** The upload route of the step on screen (the page is /onboarding/<id>). */
const uploadRoute = (page: Page, step: number) => `${new URL(page.url()).pathname.replace('/onboarding/', '/api/onboarding/')}/steps/${step}`;

test('a selfie with GPS tags goes through, and the bytes Finqware receives carry no metadata and not the user’s file name', async ({ page }) => {
  const selfie = await jpegWithGps(640, 480);
  expect(selfie.includes('Exif')).toBe(true);
  await toIdentityStep(page);
  const before = (await uploadsNow(page)).length;

  await page.getByLabel('Document type').selectOption('passport');
  await page.getByLabel('Passport photo page').setInputFiles({ name: 'passport-scan-camille.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: 'Upload and continue' }).click();
  await expect(page.getByText('Step 4 of 4')).toBeVisible();

  await page.getByLabel('Selfie').setInputFiles({ name: 'holiday-in-paris-gps.jpg', mimeType: 'image/jpeg', buffer: selfie });
  await expect(page.getByRole('img', { name: 'Preview of the chosen file' })).toBeVisible();
  await page.getByRole('button', { name: 'Upload and continue' }).click();
  await expect(page.getByRole('heading', { name: 'Onboarding complete' })).toBeVisible();

  const arrived = (await uploadsNow(page)).slice(before);
  const selfies = arrived.filter((upload) => upload.step === 'selfie');
  expect(selfies.length).toBeGreaterThan(0);
  // Every photo that reached Finqware meanwhile (ours among them) carries no EXIF or XMP, is a JPEG
  // named by us, and is not the file the user chose.
  for (const upload of selfies) expect(upload).toMatchObject({ metadata: false, detected_type: 'image/jpeg', file_name: 'selfie.jpg' });
  expect(arrived.map((upload) => upload.file_name)).not.toContain('holiday-in-paris-gps.jpg');
  expect(arrived.map((upload) => upload.file_name)).not.toContain('passport-scan-camille.pdf');
  expect(arrived.some((upload) => upload.file_name === 'identity-document.pdf')).toBe(true);

  // The user still sees the name they chose when they look back at the step.
  await page.getByRole('link', { name: 'Selfie' }).click();
  await expect(page.getByText('holiday-in-paris-gps.jpg')).toBeVisible();
});

test('a 20000 × 20000 PNG, a JPEG/HTML polyglot and a PDF with /OpenAction JavaScript are each refused with their own message at the file field', async ({
  page,
}) => {
  await toIdentityStep(page);
  const before = (await uploadsNow(page)).length;
  await page.getByLabel('Document type').selectOption('id_card');
  // A proper back, so each refusal below is the server's, about the front.
  await page.getByLabel('Back of the identity card').setInputFiles({ name: 'id-card-back.jpg', mimeType: 'image/jpeg', buffer: JPEG });
  const file = page.getByLabel('Front of the identity card');
  const send = page.getByRole('button', { name: 'Upload and continue' });

  const cases = [
    { name: 'scan.png', mimeType: 'image/png', buffer: hugePng(20_000, 20_000), message: /This image has more than 40 megapixels, more than we can check\./ },
    {
      name: 'id-card.jpg',
      mimeType: 'image/jpeg',
      buffer: JPEG_HTML_POLYGLOT,
      message: /This file is not a valid JPEG image: it starts like one but does not open as a picture/,
    },
    {
      name: 'id-card.pdf',
      mimeType: 'application/pdf',
      buffer: OPEN_ACTION_JS_PDF,
      message: /This PDF contains scripts, automatic actions or attached files, which we do not accept\./,
    },
  ];
  for (const { message, ...chosen } of cases) {
    await file.setInputFiles(chosen);
    // The browser only reads the first bytes, which look right: the server is the one that refuses.
    await expect(page.getByText(`${chosen.name},`)).toBeVisible();
    await send.click();
    await expect(file).toHaveAttribute('aria-invalid', 'true');
    await expect(file).toHaveAccessibleDescription(message);
    await expect(page.getByText(message)).toBeVisible();
    await expect(page.getByText('Step 3 of 4')).toBeVisible();
  }
  await expectAccessible(page);

  // None of them reached Finqware; a proper file still goes through afterwards.
  expect(
    (await uploadsNow(page)).slice(before).filter((upload) => upload.size === OPEN_ACTION_JS_PDF.length || upload.size === JPEG_HTML_POLYGLOT.length),
  ).toEqual([]);
  await file.setInputFiles({ name: 'id-card.jpg', mimeType: 'image/jpeg', buffer: JPEG });
  await send.click();
  await expect(page.getByText('Step 4 of 4')).toBeVisible();
});

test('a cross-site upload POST is refused with 403 before anything is read; the same POST from the site goes through', async ({ page }) => {
  await toIdentityStep(page);
  const url = uploadRoute(page, 2);
  const multipart = { documentType: 'passport', file: { name: 'passport.jpg', mimeType: 'image/jpeg', buffer: JPEG } };

  const fromEvil = await page.request.post(url, { headers: { Origin: 'https://evil.example', 'Accept-Language': 'en' }, multipart });
  expect(fromEvil.status()).toBe(403);
  expect(await fromEvil.json()).toEqual({ ok: false, error: 'cross_site', message: expect.stringContaining('came from another website') });

  const crossSite = await page.request.post(url, { headers: { 'Sec-Fetch-Site': 'cross-site' }, multipart });
  expect(crossSite.status()).toBe(403);

  // Nothing was read or sent: the step still waits for its file, and the site's own POST goes through.
  await page.reload();
  await expect(page.getByText('Step 3 of 4')).toBeVisible();
  const origin = new URL(page.url()).origin;
  const fromSite = await page.request.post(url, { headers: { Origin: origin, 'Sec-Fetch-Site': 'same-origin' }, multipart });
  expect(fromSite.status()).toBe(200);
  expect(await fromSite.json()).toMatchObject({ ok: true });
});

test('a sixth onboarding in progress is refused with the limit and the way forward; abandoning one frees a place', async ({ page }) => {
  // The list repeats "step 1 of 4" for each onboarding, so the start is recognised by the page it opens.
  const start = async () => {
    await page.goto('/onboarding');
    await page.getByRole('button', { name: 'Start Business credit card' }).click();
    await expect(page).toHaveURL(/\/onboarding\/[0-9a-f-]{36}$/);
    await expect(page.getByLabel('Amount')).toBeVisible();
  };
  await signUp(page);
  for (let i = 1; i <= 5; i += 1) await start();
  await page.goto('/onboarding');
  await expect(page.getByText('You have 5 onboardings in progress, the most at once (5).')).toBeVisible();
  await page.getByRole('button', { name: 'Start Business credit card' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toContainText(
    'You already have 5 onboardings in progress, the most at once. Finish one, or abandon one you no longer need',
  );
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Abandon Business credit card' }).first().click();
  await expect(page.getByText('The onboarding was abandoned and its answers deleted.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Abandon Business credit card' })).toHaveCount(4);
  await start();
});
