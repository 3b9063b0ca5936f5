import { createHash } from 'node:crypto';
import { expect, expectAccessible, logIn, logOut, signUp, test } from './fixtures';
import { JPEG, PDF, personalStep, productStep, startCard } from './flows';
import { finqwareControl } from './sandbox';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

// The Finqware sandbox's knobs are shared by the whole server: these tests run one after another.
test.describe.configure({ mode: 'serial' });

test('the whole card wizard with real files, then the consent on the dashboard and its revocation', async ({ page, request }) => {
  await signUp(page);
  await startCard(page);
  await expectAccessible(page);
  await productStep(page);
  await expectAccessible(page);
  await personalStep(page);

  const uploadsBefore = (await finqwareControl<{ uploads: unknown[] }>(request, 'uploads')).uploads.length;
  await page.getByLabel('Document type').selectOption('passport');
  await page.getByLabel('Passport photo page').setInputFiles({ name: 'passport.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(page.getByText('passport.pdf')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Upload and continue' }).click();
  await expect(page.getByText('Step 4 of 4')).toBeVisible();
  // The step change is announced (a live region) and titles the page.
  await expect(page.getByRole('status').filter({ hasText: 'Step 4 of 4' })).toBeVisible();
  await expect(page).toHaveTitle(/\(4\/4\) · Business credit card · Guidepost$/);

  await page.getByLabel('Selfie').setInputFiles({ name: 'me.jpg', mimeType: 'image/jpeg', buffer: JPEG });
  await expect(page.getByRole('img', { name: 'Preview of the chosen file' })).toBeVisible();
  await page.getByRole('button', { name: 'Upload and continue' }).click();
  await expect(page.getByRole('heading', { name: 'Onboarding complete' })).toBeVisible();
  // The expiry in the user's words (Nov 27, 2027), with the exact instant for machines.
  await expect(page.getByText(/The consent is valid until [A-Z][a-z]{2} \d{1,2}, \d{4}\./)).toBeVisible();
  await expect(page.getByRole('main').locator('time').first()).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T/);
  await expectAccessible(page);

  // Finqware received the PDF as it was and the photo re-encoded (so other bytes), under names of ours.
  const { uploads } = await finqwareControl<{ uploads: Array<{ sha256: string; file_name: string; detected_type: string }> }>(request, 'uploads');
  const mine = uploads.slice(uploadsBefore).filter((upload) => upload.sha256 === sha256(PDF) || upload.file_name === 'selfie.jpg');
  expect(mine.find((upload) => upload.sha256 === sha256(PDF))).toMatchObject({ file_name: 'identity-document.pdf', detected_type: 'application/pdf' });
  expect(mine.some((upload) => upload.file_name === 'selfie.jpg' && upload.detected_type === 'image/jpeg' && upload.sha256 !== sha256(JPEG))).toBe(true);

  // Going back to a finished step shows what was sent, the amount with its currency.
  await page.getByRole('link', { name: 'Product details' }).click();
  await expect(page.getByText('€100,000.00')).toBeVisible();

  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByText(/Business credit card · completed · consent valid until/)).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Revoke consent for Business credit card' }).click();
  await expect(page.getByText(/Business credit card · consent revoked/)).toBeVisible();
});

test('a renamed text file and an 11 MB file are refused before anything is sent', async ({ page }) => {
  await signUp(page);
  await startCard(page);
  await productStep(page);
  await personalStep(page);
  // Watched at the browser: the sandbox's uploads list is shared with the specs running beside this one.
  const sent: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname.startsWith('/api/onboarding/')) sent.push(request.url());
  });

  await page.getByLabel('Document type').selectOption('id_card');
  const file = page.getByLabel('Front of the identity card');
  await file.setInputFiles({ name: 'passport.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('hello, this is not a picture') });
  await expect(page.getByText(/is not a JPEG, PNG or PDF file/)).toBeVisible();
  await expect(file).toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Upload and continue' }).click();
  await expect(page.getByText('Step 3 of 4')).toBeVisible();

  const big = Buffer.alloc(11 * 1024 * 1024, 0x41);
  JPEG.copy(big, 0, 0, 12);
  await file.setInputFiles({ name: 'huge.jpg', mimeType: 'image/jpeg', buffer: big });
  await expect(page.getByText(/the limit is 10 MB/)).toBeVisible();
  await page.getByRole('button', { name: 'Upload and continue' }).click();
  await expect(page.getByText('Step 3 of 4')).toBeVisible();

  expect(sent).toEqual([]);
});

test('the upload route itself refuses an oversized file with a clear answer', async ({ page }) => {
  await signUp(page);
  await startCard(page);
  await productStep(page);
  await personalStep(page);
  const url = new URL(page.url());
  const big = Buffer.alloc(11 * 1024 * 1024, 0x41);
  JPEG.copy(big, 0, 0, 12);
  // A script's request asks for English (without a language asked for, the answer is in French, the default).
  const response = await page.request.post(`${url.pathname.replace('/onboarding/', '/api/onboarding/')}/steps/2`, {
    headers: { 'Accept-Language': 'en' },
    multipart: { documentType: 'passport', file: { name: 'huge.jpg', mimeType: 'image/jpeg', buffer: big } },
  });
  expect(response.status()).toBe(413);
  expect(await response.json()).toMatchObject({ ok: false, error: 'file', message: expect.stringContaining('10 MB') });
});

test('leaving at step 2 and resuming after logging in again; a double click sends once', async ({ page }) => {
  const { email } = await signUp(page);
  await startCard(page);
  await page.getByLabel('Amount').fill('2 500,50');
  await page.getByLabel('Currency').selectOption('GBP');
  await page.getByLabel('Period (months)').fill('24');
  await page.getByRole('button', { name: 'Continue' }).dblclick();
  await expect(page.getByText('Step 2 of 4')).toBeVisible();
  await expect(page.getByRole('main').getByRole('alert')).toHaveCount(0);

  await logOut(page);
  await logIn(page, email);
  await page.getByRole('link', { name: 'Onboarding', exact: true }).click();
  await page.getByRole('link', { name: 'Resume Business credit card' }).click();
  await expect(page.getByText('Step 2 of 4')).toBeVisible();
  await expect(page.getByLabel('First name')).toBeVisible();

  await page.getByRole('link', { name: 'Product details' }).click();
  await expect(page.getByText('£2,500.50')).toBeVisible();
  await expect(page.getByLabel('Amount')).toHaveCount(0);
});

test('a Finqware 5xx is a clear message, the answers stay, and sending again works', async ({ page, request }) => {
  await signUp(page);
  await startCard(page);
  await finqwareControl(request, 'knobs', { error_rate: 1 });
  try {
    await page.getByLabel('Amount').fill('5000');
    await page.getByLabel('Period (months)').fill('6');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByRole('main').getByRole('alert')).toContainText(/Finqware/);
    await expect(page.getByLabel('Amount')).toHaveValue('5000');
  } finally {
    await finqwareControl(request, 'knobs', { error_rate: 0 });
  }
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText('Step 2 of 4')).toBeVisible();
});
