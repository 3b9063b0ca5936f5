import { expect, expectAccessible, test } from '../fixtures';
import { JPEG, PDF } from '../flows';
import { fillCompanyProfileFr, signUpFr } from './fixtures';

// A whole onboarding in French (the browser asks for fr-FR): every label, error, title and announcement in
// French, the completion page and the consent's revocation too.

test('une souscription complète en français, du produit au consentement révoqué', async ({ page }) => {
  await signUpFr(page);
  await fillCompanyProfileFr(page, { siren: '529196313' });
  await page.goto('/onboarding');
  await expect(page.getByRole('heading', { level: 1, name: 'Souscriptions' })).toBeVisible();
  await expect(page).toHaveTitle('Souscriptions · Guidepost');
  await expect(page.getByText('Informations demandées : Détails du produit, Informations personnelles, Pièce d’identité, Selfie.')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Commencer Carte de crédit professionnelle' }).click();

  // 1. The product, with a French error first.
  await expect(page.getByRole('status').filter({ hasText: 'Étape 1 sur 4 : Détails du produit' })).toBeVisible();
  await expect(page).toHaveTitle(/^Détails du produit \(1\/4\) · Carte de crédit professionnelle · Guidepost$/);
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.getByLabel('Montant')).toHaveAccessibleDescription(/Saisissez un montant\./);
  await expect(page.getByRole('main').getByRole('alert')).toContainText('Certaines réponses sont à corriger');
  await expectAccessible(page);
  await page.getByLabel('Montant').fill('100 000');
  await page.getByLabel('Devise').selectOption('EUR');
  await expect(page.getByLabel('Devise')).toContainText('EUR – Euro');
  await page.getByLabel('Durée (en mois)').fill('12');
  await page.getByRole('button', { name: 'Continuer' }).click();

  // 2. Who the applicant is; countries named in French.
  await expect(page.getByRole('status').filter({ hasText: 'Étape 2 sur 4 : Informations personnelles' })).toBeVisible();
  await expect(page.getByLabel('Nationalité').getByRole('option', { name: 'Allemagne' })).toHaveCount(1);
  await expectAccessible(page);
  await page.getByLabel('Prénom').fill('Camille');
  await page.getByLabel('Nom', { exact: true }).fill('Martin');
  await page.getByLabel('Date de naissance').fill('1985-04-23');
  await page.getByLabel('Nationalité').selectOption('FR');
  await page.getByLabel('Adresse', { exact: true }).fill('12 rue de la Paix');
  await page.getByLabel('Ville').fill('Paris');
  await page.getByLabel('Code postal').fill('75002');
  await page.getByLabel('Pays de résidence').selectOption('FR');
  await page.getByRole('button', { name: 'Continuer' }).click();

  // 3. The identity card: front and back.
  await expect(page.getByRole('status').filter({ hasText: 'Étape 3 sur 4 : Pièce d’identité' })).toBeVisible();
  await expect(page).toHaveTitle(/^Pièce d’identité \(3\/4\) · Carte de crédit professionnelle · Guidepost$/);
  await expect(page.getByText('Choisissez d’abord le type de pièce d’identité')).toBeVisible();
  await page.getByLabel('Type de pièce d’identité').selectOption('id_card');
  await expect(page.getByText('Envoyez les deux faces : une photo ou un scan du recto et un du verso.')).toBeVisible();
  await page.getByLabel('Recto de la carte d’identité').setInputFiles({ name: 'recto.jpg', mimeType: 'image/jpeg', buffer: JPEG });
  await page.getByRole('button', { name: 'Envoyer et continuer' }).click();
  await expect(page.getByLabel('Verso de la carte d’identité')).toHaveAccessibleDescription(
    /Choisissez une photo ou un scan de cette page de votre pièce d’identité\./,
  );
  await expect(page.getByRole('button', { name: 'Prendre une photo du verso' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Verso de la carte d’identité').setInputFiles({ name: 'verso.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(page.getByText(/^verso\.pdf, \d+ octets$/)).toBeVisible();
  await page.getByRole('button', { name: 'Envoyer et continuer' }).click();

  // 4. The selfie, with the camera in French.
  await expect(page.getByRole('status').filter({ hasText: 'Étape 4 sur 4 : Selfie' })).toBeVisible();
  await page.getByRole('button', { name: 'Prendre une photo de votre visage' }).click();
  const camera = page.getByRole('dialog', { name: 'Prendre une photo de votre visage' });
  await expect(camera).toContainText('placez votre visage dans l’ovale');
  await expectAccessible(page);
  await camera.getByRole('button', { name: 'Fermer la caméra' }).click();
  await page.getByLabel('Selfie').setInputFiles({ name: 'moi.jpg', mimeType: 'image/jpeg', buffer: JPEG });
  await expect(page.getByRole('img', { name: 'Aperçu du fichier choisi : Selfie' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Envoyer et continuer' }).click();

  // The completion page says what happens next, in French, with a French date.
  await expect(page.getByRole('heading', { name: 'Souscription terminée' })).toBeVisible();
  await expect(page).toHaveTitle(/^Toutes les étapes sont terminées · Carte de crédit professionnelle · Guidepost$/);
  await expect(page.getByRole('status').filter({ hasText: 'Les 4 étapes sont terminées' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Et maintenant/ })).toBeVisible();
  await expect(page.getByText(/^Il est valable jusqu’au \d{1,2} [a-zéû.]+ \d{4}\./)).toBeVisible();
  await expect(page.getByText(/^Référence [0-9A-F]{4}-[0-9A-F]{4}$/)).toBeVisible();
  await expectAccessible(page);

  // A finished step read back in French: the amount in euros, the card's two sides.
  await page.getByRole('link', { name: 'Détails du produit' }).click();
  await expect(page.getByText(/^100\s000,00\s€$/)).toBeVisible();
  await page.getByRole('link', { name: 'Pièce d’identité' }).click();
  await expect(page.getByText('Carte nationale d’identité')).toBeVisible();
  await expect(page.getByText('Recto', { exact: true })).toBeVisible();
  await expect(page.getByText(/^verso\.pdf \(\d+ octets\)$/)).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Revenir au récapitulatif' }).click();

  // Revoking: the dialog in French, then the confirmation.
  await page.getByRole('button', { name: 'Révoquer le consentement' }).click();
  const dialog = page.getByRole('dialog', { name: /^Révoquer votre consentement pour Carte de crédit professionnelle/ });
  await expect(dialog).toContainText('Guidepost ne pourra plus lire les données couvertes par ce consentement.');
  await expect(dialog).toContainText('C’est définitif');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Oui, révoquer mon consentement' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Votre consentement est révoqué.' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Consentement révoqué' })).toBeVisible();
  await expect(page.getByText(/^Vous avez révoqué ce consentement le \d{1,2} [a-zéû.]+ \d{4}\.$/)).toBeVisible();
  await expectAccessible(page);

  await page.goto('/onboarding');
  await expect(page.getByRole('listitem').filter({ hasText: 'Consentement révoqué' })).toContainText('Carte de crédit professionnelle');
  await expect(page.getByRole('link', { name: 'Voir Carte de crédit professionnelle' })).toBeVisible();
});

test('les erreurs du formulaire et du serveur sont dites en français', async ({ page }) => {
  await signUpFr(page);
  await page.goto('/onboarding');
  await page.getByRole('button', { name: 'Commencer Carte de crédit professionnelle' }).click();
  await page.getByLabel('Montant').fill('2 500,50');
  await page.getByLabel('Durée (en mois)').fill('130');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.getByLabel('Durée (en mois)')).toHaveAccessibleDescription(/Choisissez une durée comprise entre 1 et 120\smois\./);
  await page.getByLabel('Durée (en mois)').fill('24');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Étape 2 sur 4' })).toBeVisible();

  // The server's own refusal of a file, in French, next to its field.
  const url = new URL(page.url());
  const response = await page.request.post(`${url.pathname.replace('/onboarding/', '/api/onboarding/')}/steps/1`, {
    multipart: { documentType: 'passport', file: { name: 'x.jpg', mimeType: 'image/jpeg', buffer: JPEG } },
  });
  expect(response.status()).toBe(404);
  expect(await response.json()).toMatchObject({ ok: false, message: 'Cette étape est introuvable. Rechargez la page.' });
});
