import { PASSWORD, confirmEmail, expect, fillCompanyProfile, linkFromDevMailbox, logIn, newEmail, test } from './fixtures';

// The browser says it is in New York: the portal must show dates there, not in UTC nor in the Europe/Paris default.
test.use({ timezoneId: 'America/New_York' });

test('dates in the browser’s time zone, the phone in national form, countries found by their French name', async ({ page }) => {
  await page.goto('/signup');
  // The hidden field is filled once the page is hydrated; submitting before would sign up without a zone.
  await expect(page.locator('input[name="timeZone"]')).toHaveValue('America/New_York');
  const email = newEmail();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await confirmEmail(page, await linkFromDevMailbox(page, email));
  await logIn(page, email);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await page.goto('/settings/company');
  await expect(page.getByRole('heading', { level: 1, name: 'Company profile' })).toBeVisible();

  // French users type French names; the list still shows English ones.
  const country = page.getByRole('combobox', { name: 'Country' });
  await country.fill('Allemagne');
  await expect(page.getByRole('option', { name: 'Germany' })).toBeVisible();
  await country.fill('Royaume');
  await expect(page.getByRole('option', { name: 'United Kingdom' })).toBeVisible();
  await country.fill('');
  await fillCompanyProfile(page, { siren: '529 196 313', phone: '+33 6 12 34 56 78' });
  await expect(page.getByText('Company profile saved.')).toBeVisible();

  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await expect(page.getByText('06 12 34 56 78')).toBeVisible();
  await expect(page.getByText('+33612345678')).toHaveCount(0);

  await page.goto('/settings/account');
  const lastLogin = page.locator('dd time');
  const iso = await lastLogin.getAttribute('datetime');
  expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  // What the server must have written: the same instant in New York (Node's ICU matches the server's, one process).
  const inNewYork = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'America/New_York' }).format(new Date(iso!));
  const inParis = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Paris' }).format(new Date(iso!));
  expect(inNewYork).not.toBe(inParis);
  await expect(lastLogin).toHaveText(inNewYork);
  await expect(page.getByRole('main')).not.toContainText('UTC');
  await expect(page.getByRole('main')).not.toContainText('GMT');
});
