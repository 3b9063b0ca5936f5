import type { Page } from '@playwright/test';
import { confirmEmail, expect, linkFromDevMailbox, newEmail, PASSWORD } from '../fixtures';

// The French run's own words for the shared steps (the project's browser asks for fr-FR). The French messages in
// messages/fr/ must say exactly this; a translation changed there is changed here.

export async function signUpFr(page: Page, email = newEmail(), password = PASSWORD): Promise<{ email: string; password: string }> {
  await page.goto('/signup');
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Consultez votre messagerie\u00a0: nous avons envoyé un message à ${email}.` })).toBeVisible();
  await confirmEmail(page, await linkFromDevMailbox(page, email), 'Confirmer mon adresse e-mail');
  await expect(page.getByText('Votre adresse e-mail est confirmée. Connectez-vous pour continuer.')).toBeVisible();
  await logInFr(page, email, password);
  await expect(page.getByRole('heading', { level: 1, name: 'Tableau de bord' })).toBeVisible();
  await page.goto('/settings/company');
  await expect(page.getByRole('heading', { level: 1, name: 'Profil de l’entreprise' })).toBeVisible();
  return { email, password };
}

export async function logInFr(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

export async function logOutFr(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Se déconnecter', exact: true }).click();
  await expect(page).toHaveURL(/\/login$/);
}

export async function fillCompanyProfileFr(page: Page, values: { siren: string; phone?: string; email?: string; name?: string }): Promise<void> {
  await page.getByLabel('Nom de l’entreprise').fill(values.name ?? 'Acme Conseil');
  await page.getByRole('combobox', { name: 'Pays' }).fill('Fran');
  await page.getByRole('option', { name: 'France', exact: true }).click();
  await page.getByLabel('Numéro d’identification de l’entreprise').fill(values.siren);
  await page.getByLabel('Langue', { exact: true }).selectOption('fr');
  await page.getByLabel('E-mail de contact').fill(values.email ?? 'finance@example.com');
  await page.getByLabel('Téléphone de contact').fill(values.phone ?? '06 12 34 56 78');
  await page.getByRole('button', { name: 'Enregistrer le profil' }).click();
}
