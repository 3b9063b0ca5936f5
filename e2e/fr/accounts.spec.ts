import { confirmEmail, expect, expectAccessible, linkFromDevMailbox, newDevice, newEmail, PASSWORD, test } from '../fixtures';
import { noteSecretForLogCheck } from '../noted-secrets';
import { fillCompanyProfileFr, logInFr, logOutFr, signUpFr } from './fixtures';

// Accounts in French (issue #10): sign-up, login, the company profile, the account page and its dialogs, with
// French words for every locator and every message the user reads.

test('l’inscription refuse un mot de passe français trop simple, garde l’adresse, puis fait confirmer l’adresse', async ({ page }) => {
  const email = newEmail();
  await page.goto('/signup');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page).toHaveTitle('Créer un compte · Guidepost');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill('Motdepasse2026!');
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByLabel('Mot de passe')).toHaveAccessibleDescription(/Ce mot de passe est trop facile à deviner/);
  await expect(page.getByLabel('Adresse e-mail')).toHaveValue(email);
  await expectAccessible(page);

  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Consultez votre messagerie\u00a0: nous avons envoyé un message à ${email}.` })).toBeVisible();
  await expectAccessible(page);
  await confirmEmail(page, await linkFromDevMailbox(page, email), 'Confirmer mon adresse e-mail');
  await expect(page).toHaveTitle('Connexion · Guidepost');
  await expect(page.getByText('Votre adresse e-mail est confirmée. Connectez-vous pour continuer.')).toBeVisible();
});

test('connexion, profil de l’entreprise et tableau de bord en français', async ({ page }) => {
  const { email } = await signUpFr(page);
  await fillCompanyProfileFr(page, { siren: '552100554', name: 'Boulangerie Dupont' });
  await expect(page.getByRole('status').filter({ hasText: 'Profil de l’entreprise enregistré.' })).toBeVisible();
  await expectAccessible(page);

  await logOutFr(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Connexion à Guidepost' })).toBeVisible();
  await logInFr(page, email, 'pas-le-bon-mot-de-passe');
  await expect(page.getByText('L’adresse e-mail ou le mot de passe est incorrect.')).toBeVisible();
  await expect(page.getByLabel('Adresse e-mail')).toHaveValue(email);
  await expectAccessible(page);

  await logInFr(page, email);
  await expect(page.getByRole('heading', { level: 1, name: 'Tableau de bord' })).toBeVisible();
  await expect(page).toHaveTitle('Tableau de bord · Guidepost');
  await expect(page.getByRole('main')).toContainText('Boulangerie Dupont');
  await expect(page.getByRole('navigation', { name: 'Principale' }).getByRole('link', { name: 'Tableau de bord' })).toHaveAttribute('aria-current', 'page');
  await expectAccessible(page);
});

test('le compte : changer de mot de passe déconnecte l’autre appareil, qui apprend pourquoi', async ({ page, browser }) => {
  const { email } = await signUpFr(page);
  const otherDevice = await newDevice(browser);
  const other = await otherDevice.newPage();
  await other.goto('/login');
  await logInFr(other, email);
  await expect(other.getByRole('heading', { level: 1, name: 'Tableau de bord' })).toBeVisible();

  await page.getByRole('navigation', { name: 'Principale' }).getByRole('link', { name: 'Compte' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Compte' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Mot de passe actuel').fill(PASSWORD);
  await page.getByLabel('Nouveau mot de passe').fill('Motdepasse2026!');
  await page.getByRole('button', { name: 'Modifier le mot de passe' }).click();
  await expect(page.getByLabel('Nouveau mot de passe')).toHaveAccessibleDescription(/Ce mot de passe est trop facile à deviner/);

  await page.getByLabel('Mot de passe actuel').fill(PASSWORD);
  await page.getByLabel('Nouveau mot de passe').fill('safran-glacier-tandem-41');
  await page.getByRole('button', { name: 'Modifier le mot de passe' }).click();
  await expect(page.getByText('Mot de passe modifié. Vous avez été déconnecté de tous vos autres appareils.')).toBeVisible();

  await other.reload();
  await expect(other).toHaveURL(/\/login\?reason=session_ended$/);
  await expect(other.getByRole('status').filter({ hasText: 'Votre session a pris fin.' })).toBeVisible();
  await expectAccessible(other);
  await otherDevice.close();
});

test('supprimer le compte : une boîte de dialogue dit ce qui sera supprimé, puis la page de connexion le confirme', async ({ page }) => {
  const { email } = await signUpFr(page);
  await page.goto('/settings/account');
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Supprimer mon compte' }).click();
  const dialog = page.getByRole('dialog', { name: 'Supprimer votre compte ?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('supprime le profil de votre entreprise');
  await expect(dialog).toContainText('Cette action est irréversible.');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Supprimer définitivement' }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByText('Votre compte a été supprimé.')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');

  await logInFr(page, email);
  await expect(page.getByText('L’adresse e-mail ou le mot de passe est incorrect.')).toBeVisible();
});

test('mot de passe oublié : la même réponse, puis un e-mail en français dans la boîte de développement', async ({ page }) => {
  const { email } = await signUpFr(page);
  await logOutFr(page);
  await page.getByRole('link', { name: 'Mot de passe oublié\u00a0?' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Réinitialiser votre mot de passe' })).toBeVisible();
  await expect(page).toHaveTitle('Mot de passe oublié · Guidepost');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByRole('button', { name: 'Envoyer le lien' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Si un compte existe pour ${email}, nous lui avons envoyé un lien` })).toBeVisible();
  await expectAccessible(page);

  await page.goto('/sandbox/mailbox');
  const message = page
    .getByRole('article')
    .filter({ hasText: `À\u00a0: ${email}` })
    .filter({ has: page.getByRole('heading', { name: 'Réinitialisez votre mot de passe Guidepost' }) });
  await expect(message.getByRole('heading', { name: 'Réinitialisez votre mot de passe Guidepost' })).toBeVisible();
  await expect(message).toContainText('Le lien ne sert qu’une fois, pendant 30 minutes.');
  const link = (await message.getByRole('link').getAttribute('href'))!;
  noteSecretForLogCheck(link.split('#')[1]!);
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1, name: 'Choisir un nouveau mot de passe' })).toBeVisible();
  await page.getByLabel('Nouveau mot de passe').fill('Motdepasse2026!');
  await page.getByRole('button', { name: 'Modifier mon mot de passe' }).click();
  await expect(page.getByLabel('Nouveau mot de passe')).toHaveAccessibleDescription(/Ce mot de passe est trop facile à deviner/);
  await page.getByLabel('Nouveau mot de passe').fill('safran-glacier-tandem-41');
  await page.getByRole('button', { name: 'Modifier mon mot de passe' }).click();
  await expect(page.getByText('Votre mot de passe a été modifié et toutes les sessions de votre compte ont pris fin.', { exact: false })).toBeVisible();
  await logInFr(page, email, 'safran-glacier-tandem-41');
  await expect(page.getByRole('heading', { level: 1, name: 'Tableau de bord' })).toBeVisible();
});
