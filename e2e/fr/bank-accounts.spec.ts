import { expect, expectAccessible, test } from '../fixtures';
import { signUpFr } from './fixtures';

// The accounts pages in French (the browser asks for fr-FR): amounts and dates the French way, the CSV with the decimal
// comma by default.

const NNBSP = '\u202f';
const NBSP = '\u00a0';

test('les comptes bancaires en français : soldes et opérations à la française, export CSV à la virgule', async ({ page }) => {
  test.setTimeout(120_000);
  await signUpFr(page);
  await page.goto('/onboarding');
  await page.getByRole('button', { name: 'Commencer Informations de comptes (banque de test)' }).click();
  await page.getByLabel(/^J’accepte que Guidepost reçoive les informations de mes comptes/).check();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.getByRole('heading', { name: 'Souscription terminée' })).toBeVisible();

  await page.getByRole('navigation', { name: 'Principale' }).getByRole('link', { name: 'Banque' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Comptes bancaires' })).toBeVisible();
  await expect(page).toHaveTitle('Comptes bancaires · Guidepost');
  await expect(page.getByText(/^Dernière actualisation\u00a0: \d{1,2} [a-zéû.]+ \d{4}, \d{2}:\d{2}/)).toBeVisible();
  const accounts = page.getByRole('table', { name: 'Comptes chez XYZ Bank (sandbox)' });
  // "1 234,56 €": narrow no-break spaces between thousands, a comma, a no-break space before the euro sign.
  const amount = new RegExp(`^-?\\d{1,3}(${NNBSP}\\d{3})*,\\d{2}${NBSP}€$`);
  const booked = accounts.getByRole('row').filter({ hasText: 'Current account' }).getByRole('cell').nth(2);
  await expect(booked).toHaveText(amount);
  await expect(accounts.getByRole('row').filter({ hasText: 'Business credit card' }).getByRole('cell').nth(2)).toHaveText(/^-/);
  await expectAccessible(page);

  await accounts.getByRole('link', { name: 'Current account : opérations' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Current account' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /^\d+ opérations$/ })).toBeVisible();
  const firstDate = page.getByRole('table', { name: 'Opérations, les plus récentes d’abord' }).getByRole('row').nth(1).locator('time');
  await expect(firstDate).toHaveText(/^\d{1,2} [a-zéû.]+ \d{4}$/);
  await expect(page.getByText(/^Page 1 sur \d+$/)).toBeVisible();

  // The search ignores accents and case: "fevrier" and "FÉVRIER" find the same card payments.
  await page.getByLabel('Libellé contenant').fill('FÉVRIER');
  await page.getByRole('button', { name: 'Afficher' }).click();
  const withAccent = await page
    .getByRole('status')
    .filter({ hasText: /correspond/ })
    .innerText();
  await page.getByLabel('Libellé contenant').fill('fevrier');
  await page.getByRole('button', { name: 'Afficher' }).click();
  await expect(page.getByRole('status').filter({ hasText: /correspond/ })).toHaveText(withAccent);
  await page.getByLabel('Du').fill('2026-03-10');
  await page.getByLabel('Au').fill('2026-03-01');
  await page.getByRole('button', { name: 'Afficher' }).click();
  await expect(page.getByLabel('Au')).toHaveAccessibleDescription('La date de fin doit être égale ou postérieure à la date de début.');
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Effacer les filtres' }).click();

  // The decimal comma is the French default, and the file's words are French.
  await expect(page.getByLabel(/^Virgule/)).toBeChecked();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Télécharger' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^operations-\d{4}-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8');
  expect(csv.startsWith('\uFEFFDate;Libellé;Montant;Devise;Statut\r\n')).toBe(true);
  expect(csv).toMatch(/\r\n\d{4}-\d{2}-\d{2};[^;\r\n]+;-?\d+,\d{2};EUR;(Comptabilisée|En attente)\r\n/);
});
