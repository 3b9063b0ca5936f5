import type { Page } from '@playwright/test';
import { expect, expectAccessible, test, visitorIp, watchCsp } from '../fixtures';
import { fillCompanyProfileFr, signUpFr } from './fixtures';

// Bridge's guidance site (the sandbox's) speaks the company's language, which the portal sends when it opens the
// session. The guidance screen's own words belong to its specs: here the session is opened through its form and read
// from the link Bridge answered with and the password field.

async function openGuidanceSession(page: Page): Promise<{ url: string; password: string }> {
  await page.goto('/guidance');
  await page.locator('form:has(input[name="intent"][value="open"])').getByRole('button').click();
  const link = page.locator('a[href*="/sandbox/bridge/guidance/session/"]');
  await expect(link).toBeVisible();
  const url = await link.getAttribute('href');
  expect(url).toBeTruthy();
  return { url: url!, password: await page.getByLabel('Mot de passe à usage unique').inputValue() };
}

test('une entreprise de langue française voit le site d’accompagnement Bridge en français, même dans un navigateur anglais', async ({
  page,
  browser,
  context,
}) => {
  await signUpFr(page);
  await fillCompanyProfileFr(page, { siren: '529196313' });
  // Saved once the form says so (its words belong to the company screen's specs).
  await expect(page.getByRole('status').filter({ hasText: /\S/ }).first()).toBeVisible();
  const session = await openGuidanceSession(page);

  // The company's language wins over the browser's: a browser asking for English gets the French site.
  const english = await watchCsp(await browser.newContext({ locale: 'en-US', extraHTTPHeaders: { 'X-Forwarded-For': visitorIp() } }));
  const elsewhere = await english.newPage();
  await elsewhere.goto(session.url);
  await expect(elsewhere.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(elsewhere.getByRole('heading', { level: 1, name: 'Accéder à votre accompagnement' })).toBeVisible();
  await english.close();

  const site = await context.newPage();
  await site.goto(session.url);
  await expect(site.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(site).toHaveTitle('Accéder à votre accompagnement · Accompagnement financier Bridge (bac à sable)');
  await expectAccessible(site);
  await site.getByLabel('Mot de passe').fill('Mauvais-Mot-De-Passe-1!');
  await site.getByRole('button', { name: 'Accéder à mon accompagnement' }).click();
  await expect(site.getByText('Ce mot de passe n’est pas valide.')).toBeVisible();
  await site.getByLabel('Mot de passe').fill(session.password);
  await site.getByRole('button', { name: 'Accéder à mon accompagnement' }).click();

  await expect(site.getByRole('heading', { level: 1, name: 'Votre consentement' })).toBeVisible();
  await expectAccessible(site);
  await site.getByRole('button', { name: 'Je donne mon consentement' }).click();

  await expect(site.getByRole('heading', { level: 1, name: 'Votre accompagnement financier' })).toBeVisible({ timeout: 15_000 });
  await expect(site).toHaveTitle('Votre accompagnement financier · Accompagnement financier Bridge (bac à sable)');
  // Figures as a French bank writes them: "2,5 mois", "12 345,67 €".
  await expect(site.getByText(/^\d+,\d\smois$/)).toBeVisible();
  await expect(site.getByText(/^\d{1,3}(\s\d{3})*,\d{2}\s€$/)).toHaveCount(2);
  await expectAccessible(site);
  await site.getByRole('button', { name: 'Envoyer un webhook « accompagnement prêt »' }).click();
  await expect(site.getByText('Webhook envoyé.')).toBeVisible();
});
