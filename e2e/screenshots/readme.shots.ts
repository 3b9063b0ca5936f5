import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { expect, fillCompanyProfile, signUp, test, visitorIp } from '../fixtures';
import { JPEG, personalStep, productStep, startCard } from '../flows';
import { fillCompanyProfileFr, signUpFr } from '../fr/fixtures';

const OUT = path.resolve('docs', 'screenshots');

async function desktop(browser: Browser, locale: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await browser.newContext({
    locale,
    colorScheme,
    viewport: { width: 1200, height: 820 },
    extraHTTPHeaders: { 'X-Forwarded-For': visitorIp() },
  });
  return context.newPage();
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  // From the top of the page, without the caret, with transitions finished.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(OUT, `${name}.png`), caret: 'hide', animations: 'disabled' });
}

test('English', async ({ browser }) => {
  const page = await desktop(browser, 'en-GB');
  await page.goto('/login');
  await shot(page, 'en-login');
  await signUp(page, 'alex.morgan@atelier-lumiere.example');
  await fillCompanyProfile(page, { siren: '529196313', name: 'Atelier Lumière SAS', language: 'en' });
  await expect(page.getByText('Company profile saved.')).toBeVisible();
  await page.goto('/guidance');
  await page.getByRole('button', { name: 'Open my guidance' }).click();
  await expect(page.getByLabel('One-time password')).toBeFocused();
  await shot(page, 'en-guidance');
  await startCard(page);
  await productStep(page);
  await personalStep(page);
  await page.getByLabel('Document type').selectOption('id_card');
  await page.getByLabel('Front of the identity card').setInputFiles({ name: 'front.jpg', mimeType: 'image/jpeg', buffer: JPEG });
  await shot(page, 'en-onboarding');
});

test('French', async ({ browser }) => {
  const page = await desktop(browser, 'fr-FR');
  await page.goto('/login');
  await shot(page, 'fr-login');
  await signUpFr(page, 'camille.martin@atelier-lumiere.example');
  await fillCompanyProfileFr(page, { siren: '529196313', name: 'Atelier Lumière SAS' });
  await expect(page.getByText('Profil de l’entreprise enregistré.')).toBeVisible();
  await page.goto('/guidance');
  await page.getByRole('button', { name: 'Ouvrir mon accompagnement' }).click();
  await expect(page.getByLabel('Mot de passe à usage unique')).toBeFocused();
  await shot(page, 'fr-guidance');
  await page.goto('/');
  await shot(page, 'fr-dashboard');

  // A phone in dark mode: the compact header and the guidance screen.
  const phone = await (
    await browser.newContext({
      locale: 'fr-FR',
      colorScheme: 'dark',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      extraHTTPHeaders: { 'X-Forwarded-For': visitorIp() },
    })
  ).newPage();
  await signUpFr(phone, 'lea.bernard@atelier-lumiere.example');
  await phone.goto('/onboarding');
  await shot(phone, 'fr-phone-dark-onboarding');
});
