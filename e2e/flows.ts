import { expect, type Page } from '@playwright/test';
import { fillCompanyProfile, signUp, type ConfirmationLinkReader } from './fixtures';

// The user journeys several specs walk through, with role and label locators.

// Real files: a small JPEG portrait (48 × 64, drawn and encoded by sharp; the server decodes and
// re-encodes every image, so it must be a real one) and a one-page PDF with nothing active in it.
export const JPEG = Buffer.from(
  '/9j/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCABAADADASIAAhEBAxEB/8QAGgABAAMBAQEAAAAAAAAAAAAAAAYHCAUDBP/EAC4QAAEEAQEGAgsBAAAAAAAAAAEAAgMEBREGBxIhMUFRgRMXIzJhZXGhpMHC4v/EABkBAAIDAQAAAAAAAAAAAAAAAAMEAQIFBv/EACIRAAIDAAEEAgMAAAAAAAAAAAECAAMREgUhMaEEFTJS0f/aAAwDAQACEQMRAD8At1ERZMfhFHslthiKEpiMz55G8iIG8WnnyH3TG7YYi/K2ITPgkdyAmbw6+fMfdRoluDZuSQoiKZWFDN5GYkp04qNZxZJYBMjh1DB28/0pmq23pwPGSp2CD6N8JYD8Q4n+gobxCVAFu8hCIiDHZZu7fMSXKctGy8vkrgGNxPMsPby/amarbdZA85K5Y0Po2QhhPxLgf5KslGXxErQAxyFz87iYMzj31bGo58THjqx3iugoXtXvBx+BtupxQvu22e+1jg1rD4F3Pn9AjVUPe3CsaYB7lpHJjkiWS2Sy9GUtFV1iPs+AcWvl1CY3ZLL3pQ01XV4+75xw6eXUr7PW78k/L/wnrd+Sfl/4TP0/yv09j+yn21Ofl6MsXA4mDDY9lWvq7nxPeer3eK6Cheym8HH5622nLC+lbf7jXuDmvPgHcuf1CmiWtoehuFgwy6XLcOSnYWWbEz7FiWaVxdJI4vcT3JOpWplnrbTZa7gcnP7CR9Bzi6GZrdW8J6AnsR0Wx0OxFd1J7nM9zN6ojFVYeBsjSIi6SYk9K8z69iKaJxbJG4PaR2IOoWplnrYvZa7nsnB7CRlBrg6aZzdG8I6gHuT0WhVzfXLEZ0UHuN31NvpaMFZj4OT/2Q==',
  'base64',
);
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

export async function startCard(page: Page) {
  await page.goto('/onboarding');
  await expect(page.getByRole('heading', { level: 1, name: 'Onboarding' })).toBeVisible();
  await page.getByRole('button', { name: 'Start Business credit card' }).click();
  await expect(page.getByText('Step 1 of 4')).toBeVisible();
}

export async function productStep(page: Page) {
  await page.getByLabel('Amount').fill('100000');
  await page.getByLabel('Currency').selectOption('EUR');
  await page.getByLabel('Period (months)').fill('12');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText('Step 2 of 4')).toBeVisible();
}

export async function personalStep(page: Page) {
  await page.getByLabel('First name').fill('Camille');
  await page.getByLabel('Last name').fill('Martin');
  await page.getByLabel('Date of birth').fill('1985-04-23');
  await page.getByLabel('Nationality').selectOption('FR');
  await page.getByLabel('Street address').fill('12 rue de la Paix');
  await page.getByLabel('City').fill('Paris');
  await page.getByLabel('Postal code').fill('75002');
  await page.getByLabel('Country of residence').selectOption('FR');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByText('Step 3 of 4')).toBeVisible();
}

/** Uploads both documents of the card wizard (steps 3 and 4) and waits for the end of the onboarding. */
export async function uploadSteps(page: Page) {
  await page.getByLabel('Document type').selectOption('passport');
  await page.getByLabel('Passport photo page').setInputFiles({ name: 'passport.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: 'Upload and continue' }).click();
  await expect(page.getByText('Step 4 of 4')).toBeVisible();
  await page.getByLabel('Selfie').setInputFiles({ name: 'me.jpg', mimeType: 'image/jpeg', buffer: JPEG });
  await page.getByRole('button', { name: 'Upload and continue' }).click();
}

/** A new account with a French company profile (in French unless told otherwise), on the guidance page. */
export async function readyForGuidance(page: Page, options: { language?: 'fr' | 'en'; confirmationLink?: ConfirmationLinkReader } = {}) {
  const { confirmationLink, ...profile } = options;
  const account = await signUp(page, undefined, undefined, confirmationLink);
  await fillCompanyProfile(page, { siren: '529196313', ...profile });
  await expect(page.getByText('Company profile saved.')).toBeVisible();
  await page.getByRole('link', { name: 'Guidance' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Guidance' })).toBeVisible();
  return account;
}
