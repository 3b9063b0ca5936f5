import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import sharp from 'sharp';
import { JPEG_HTML_POLYGLOT } from '@guidepost/sandbox/testing/files';
import type { UploadRecord } from '@guidepost/sandbox/finqware';
import { expect, expectAccessible, signUp, test } from './fixtures';
import { JPEG, PDF, personalStep, productStep, startCard } from './flows';
import { finqwareControl } from './sandbox';

// Document capture (issue #10, item 6): both sides of an identity card, a photo taken with Chromium's fake
// camera (playwright.config.ts), an upload cancelled and sent again, the "checking" step after 100 %, a
// stale error gone with a new file; and the consent's revocation through its confirmation dialog.

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const uploadsNow = async (page: Page) => (await finqwareControl<{ uploads: UploadRecord[] }>(page.request, 'uploads')).uploads;
const send = (page: Page) => page.getByRole('button', { name: 'Upload and continue' }).click();

async function toIdentityStep(page: Page) {
  await signUp(page);
  await startCard(page);
  await productStep(page);
  await personalStep(page);
}

test('an identity card asks for its front and back; the front is a photo taken in the page through the frame guide', async ({ page }) => {
  await toIdentityStep(page);
  const before = (await uploadsNow(page)).length;

  // A passport is one page; an identity card two.
  await page.getByLabel('Document type').selectOption('passport');
  await expect(page.getByLabel('Passport photo page')).toBeVisible();
  await expect(page.getByLabel('Back of the identity card')).toHaveCount(0);
  await page.getByLabel('Document type').selectOption('id_card');
  await expect(page.getByText('Send both sides: a photo or scan of the front and one of the back.')).toBeVisible();
  await expect(page.getByLabel('Passport photo page')).toHaveCount(0);
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Take a photo of the front' }).click();
  const camera = page.getByRole('dialog', { name: 'Take a photo of the front' });
  await expect(camera).toContainText('with all four corners visible');
  const video = camera.getByLabel('Camera picture');
  await expect.poll(() => video.evaluate((element: HTMLVideoElement) => element.videoWidth)).toBeGreaterThan(0);
  await expect(camera.getByRole('button', { name: 'Take the photo' })).toBeFocused();
  await expectAccessible(page);
  await camera.getByRole('button', { name: 'Take the photo' }).click();
  await expect(camera).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Photo taken.' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Preview of the chosen file: Front of the identity card' })).toBeVisible();
  await expect(page.getByText(/^front-photo\.jpg, \d+ KB$/)).toBeVisible();
  // The camera was let go of when the dialog closed.
  expect(await page.evaluate(() => document.querySelectorAll('video').length)).toBe(0);

  // Without its back, the card is not sent: the back's field says what is missing.
  const sent: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname.startsWith('/api/onboarding/')) sent.push(request.url());
  });
  await send(page);
  const back = page.getByLabel('Back of the identity card');
  await expect(back).toHaveAttribute('aria-invalid', 'true');
  await expect(back).toBeFocused();
  await expect(back).toHaveAccessibleDescription(/Choose a photo or scan of this page of your document\./);
  expect(sent).toEqual([]);

  await back.setInputFiles({ name: 'card-back.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(back).not.toHaveAttribute('aria-invalid', 'true');
  await send(page);
  await expect(page.getByText('Step 4 of 4')).toBeVisible();

  // Finqware received both sides of the card in one upload, the photo re-encoded, under names of ours.
  const card = (await uploadsNow(page)).slice(before).filter((upload) => upload.sha256 === sha256(PDF) && upload.page === 'back');
  expect(card).toHaveLength(1);
  const sides = (await uploadsNow(page)).filter((upload) => upload.step_id === card[0]!.step_id);
  expect(sides.map(({ page: side, file_name, detected_type }) => ({ side, file_name, detected_type }))).toEqual([
    { side: 'front', file_name: 'identity-document.jpg', detected_type: 'image/jpeg' },
    { side: 'back', file_name: 'identity-document-back.pdf', detected_type: 'application/pdf' },
  ]);

  // The selfie can be taken with the camera too, inside an oval.
  await page.getByRole('button', { name: 'Take a photo of your face' }).click();
  const selfie = page.getByRole('dialog', { name: 'Take a photo of your face' });
  await expect(selfie).toContainText('place your face inside the oval');
  await expect.poll(() => selfie.getByLabel('Camera picture').evaluate((element: HTMLVideoElement) => element.videoWidth)).toBeGreaterThan(0);
  await selfie.getByRole('button', { name: 'Take the photo' }).click();
  await expect(page.getByRole('img', { name: 'Preview of the chosen file: Selfie' })).toBeVisible();
  // A phone offers its camera or its library: any image, and no `capture` forcing the camera.
  await expect(page.getByLabel('Selfie')).toHaveAttribute('accept', 'image/*');
  await expect(page.getByLabel('Selfie')).not.toHaveAttribute('capture');
  await send(page);
  await expect(page.getByRole('heading', { name: 'Onboarding complete' })).toBeVisible();

  // Looking back at the document shows both sides by the names the user saw.
  await page.getByRole('link', { name: 'Identity document' }).click();
  await expect(page.getByText('National identity card')).toBeVisible();
  await expect(page.getByText(/^front-photo\.jpg \(\d+ KB\)$/)).toBeVisible();
  await expect(page.getByText(/^card-back\.pdf \(\d+ bytes\)$/)).toBeVisible();
});

test('an upload can be cancelled: the page says so, nothing moves on, and the same file is sent again', async ({ page }) => {
  await toIdentityStep(page);
  // A real photo of about 2 MB (noise compresses badly), sent over a slow link so there is time to cancel.
  const photo = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .jpeg({ quality: 95 })
    .toBuffer();
  expect(photo.length).toBeGreaterThan(1_000_000);
  await page.getByLabel('Document type').selectOption('passport');
  await page.getByLabel('Passport photo page').setInputFiles({ name: 'passport-photo.jpg', mimeType: 'image/jpeg', buffer: photo });
  const network = await page.context().newCDPSession(page);
  await network.send('Network.enable');
  // 8 KB/s: four minutes for the photo. At 64 KB/s (half a minute) an axe check on CI's loaded cores outlasted the
  // upload, and the Cancel button was gone when the test went to press it.
  await network.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 8 * 1024 });

  await send(page);
  const cancel = page.getByRole('button', { name: 'Cancel upload' });
  await expect(cancel).toBeFocused();
  await expect(page.getByLabel('Upload progress')).toBeVisible();
  await expectAccessible(page);
  await cancel.click();
  await expect(page.getByRole('status').filter({ hasText: 'Upload cancelled: nothing was sent. Your file is still chosen' })).toBeVisible();
  await expect(cancel).toHaveCount(0);
  await expect(page.getByLabel('Upload progress')).toHaveCount(0);
  await expect(page.getByRole('main').getByRole('alert')).toHaveCount(0);
  await expect(page.getByText(/^passport-photo\.jpg, \d\.\d MB$/)).toBeVisible();
  // Nothing reached Finqware: the onboarding still waits for this step.
  expect(await (await page.request.get(page.url())).text()).toContain('(3/4)');

  // The file is still chosen: one click sends it again.
  await network.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await send(page);
  await expect(page.getByText('Step 4 of 4')).toBeVisible();
});

test('once every byte is sent the page says it is checking the document, and cancelling is no longer offered', async ({ page }) => {
  await toIdentityStep(page);
  await page.getByLabel('Document type').selectOption('passport');
  await page.getByLabel('Passport photo page').setInputFiles({ name: 'passport.pdf', mimeType: 'application/pdf', buffer: PDF });
  // Finqware answers slowly for a moment (every call of the shared sandbox, so briefly): the server is still
  // busy with the file after the browser sent its last byte.
  await finqwareControl(page.request, 'knobs', { latency_ms: 2000 });
  try {
    await send(page);
    await expect(page.getByRole('status').filter({ hasText: 'Upload complete. Checking your document…' })).toBeVisible();
    await expect(page.getByText('100%')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Cancel upload' })).toHaveCount(0);
  } finally {
    await finqwareControl(page.request, 'knobs', { latency_ms: 0 });
  }
  await expect(page.getByText('Step 4 of 4')).toBeVisible();
});

test('the server’s refusal of a file goes away as soon as another file is chosen', async ({ page }) => {
  await toIdentityStep(page);
  await page.getByLabel('Document type').selectOption('passport');
  const file = page.getByLabel('Passport photo page');
  await file.setInputFiles({ name: 'scan.jpg', mimeType: 'image/jpeg', buffer: JPEG_HTML_POLYGLOT });
  await send(page);
  const refusal = page.getByText(/This file is not a valid JPEG image/);
  await expect(refusal).toBeVisible();
  await expect(file).toHaveAttribute('aria-invalid', 'true');

  await file.setInputFiles({ name: 'passport.jpg', mimeType: 'image/jpeg', buffer: JPEG });
  await expect(refusal).toHaveCount(0);
  await expect(file).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('main').getByRole('alert')).toHaveCount(0);
  await send(page);
  await expect(page.getByText('Step 4 of 4')).toBeVisible();
});

test('revoking a consent asks first, says what will happen, then says it is done; the list reads on a phone', async ({ page }) => {
  await signUp(page);
  await page.goto('/onboarding');
  await page.getByRole('button', { name: 'Start Account information (sandbox bank)' }).click();
  await page.getByLabel('I consent to Guidepost receiving my account information').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Onboarding complete' })).toBeVisible();

  // What happens next: what the consent allows, until when, how to revoke it; a short reference, no raw id.
  await expect(page.getByRole('heading', { name: 'What happens next' })).toBeVisible();
  await expect(page.getByText(/read-only: Guidepost can never make a payment/)).toBeVisible();
  await expect(page.getByText(/^It lasts until [A-Z][a-z]{2} \d{1,2}, \d{4}\./)).toBeVisible();
  await expect(page.getByText(/You can revoke it at any time with “Revoke consent”/)).toBeVisible();
  await expect(page.getByText(/^Reference [0-9A-F]{4}-[0-9A-F]{4}$/)).toBeVisible();
  expect(await page.getByRole('main').innerText()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/);
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Revoke consent' }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke your consent for Account information (sandbox bank)?' });
  await expect(dialog).toContainText('Guidepost will no longer be able to read the data this consent covers.');
  await expect(dialog).toContainText('The access Finqware gave Guidepost (its credentials) is deleted.');
  await expect(dialog).toContainText('This cannot be undone: to share the data again, you will need a new onboarding.');
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Onboarding complete' })).toBeVisible();

  await page.getByRole('button', { name: 'Revoke consent' }).click();
  await dialog.getByRole('button', { name: 'Yes, revoke my consent' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Your consent is revoked. Guidepost can no longer read this data' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Consent revoked' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Revoke consent' })).toHaveCount(0);
  await expectAccessible(page);

  // On a phone the list of onboardings stays a list: no item wider than the screen, every part readable.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/onboarding');
  const item = page.getByRole('listitem').filter({ hasText: 'Consent revoked' });
  await expect(item).toContainText(/Reference [0-9A-F]{4}-[0-9A-F]{4}/);
  await expect(item.getByRole('link', { name: 'View Account information (sandbox bank)' })).toBeVisible();
  expect(await item.evaluate((element) => element.getBoundingClientRect().right <= window.innerWidth && element.scrollWidth <= element.clientWidth)).toBe(true);
  await expectAccessible(page);
});
