import type { Browser, BrowserContext, Page } from '@playwright/test';
import { expect, expectAccessible, logIn, PASSWORD, signUp, test, visitorIp, watchCsp } from './fixtures';
import { logInFr } from './fr/fixtures';

// Which language a visitor gets (issue #10, item 1): the saved preference, else the switch's cookie, else the
// browser's Accept-Language, else French. Each case has its own browser, asking for the language it names.

async function browserAsking(browser: Browser, locale: string): Promise<BrowserContext> {
  return watchCsp(await browser.newContext({ locale, extraHTTPHeaders: { 'X-Forwarded-For': visitorIp() } }));
}

async function expectLoginIn(page: Page, language: 'fr' | 'en'): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  if (language === 'fr') {
    await expect(page).toHaveTitle('Connexion · Guidepost');
    await expect(page.getByRole('heading', { level: 1, name: 'Connexion à Guidepost' })).toBeVisible();
  } else {
    await expect(page).toHaveTitle('Log in · Guidepost');
    await expect(page.getByRole('heading', { level: 1, name: 'Log in to Guidepost' })).toBeVisible();
  }
}

for (const [asked, expected] of [
  ['fr-FR', 'fr'],
  ['fr-CA', 'fr'],
  ['en-US', 'en'],
  ['en-GB', 'en'],
  // Neither language: French, the portal's default.
  ['de-DE', 'fr'],
] as const) {
  test(`a browser asking for ${asked} gets the login page in ${expected === 'fr' ? 'French' : 'English'}`, async ({ browser }) => {
    const context = await browserAsking(browser, asked);
    const page = await context.newPage();
    await page.goto('/login');
    await expectLoginIn(page, expected);
    await context.close();
  });
}

test('the switch on the login page changes the language at once and this browser keeps it; sign-up follows', async ({ browser }) => {
  const context = await browserAsking(browser, 'fr-FR');
  const page = await context.newPage();
  await page.goto('/login');
  await expectLoginIn(page, 'fr');
  const switcher = page.getByRole('form', { name: 'Langue d’affichage' });
  await expect(switcher.getByRole('button', { name: 'Français' })).toHaveAttribute('aria-pressed', 'true');
  await switcher.getByRole('button', { name: 'English' }).click();
  await expectLoginIn(page, 'en');
  await expect(page.getByRole('form', { name: 'Display language' }).getByRole('button', { name: 'English' })).toHaveAttribute('aria-pressed', 'true');
  await expectAccessible(page);

  // Another page, and a reload: still English although the browser asks for French.
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Create your Guidepost account' })).toBeVisible();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page).toHaveTitle('Create an account · Guidepost');

  // And back to French from the sign-up page's own switch.
  await page.getByRole('form', { name: 'Display language' }).getByRole('button', { name: 'Français' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Créez votre compte Guidepost' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await context.close();
});

test('the language saved in the portal follows the user to another browser, and actions answer in it', async ({ browser }) => {
  // Signed up in an English browser; the user switches to French in the header.
  const first = await browserAsking(browser, 'en-US');
  const page = await first.newPage();
  const { email } = await signUp(page);
  await page.getByRole('banner').getByRole('button', { name: 'Français' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Profil de l’entreprise' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('navigation', { name: 'Principale' }).getByRole('link', { name: 'Tableau de bord' })).toBeVisible();
  await first.close();

  // Another browser asking for English: the login page is English (nobody is known yet), the portal French.
  const second = await browserAsking(browser, 'en-US');
  const other = await second.newPage();
  await other.goto('/login');
  await expectLoginIn(other, 'en');
  await logIn(other, email);
  await expect(other.getByRole('heading', { level: 1, name: 'Tableau de bord' })).toBeVisible();
  await expect(other.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(other).toHaveTitle('Tableau de bord · Guidepost');

  // A server action's answer is in the saved language too.
  await other.goto('/settings/account');
  await other.getByLabel('Mot de passe actuel').fill('not-the-password-at-all');
  await other.getByLabel('Nouveau mot de passe').fill('saffron-glacier-tandem-41');
  await other.getByRole('button', { name: 'Modifier le mot de passe' }).click();
  await expect(other.getByText('Ce n’est pas votre mot de passe actuel.')).toBeVisible();
  await expectAccessible(other);

  // Switching back to English is saved the same way.
  await other.getByRole('banner').getByRole('button', { name: 'English' }).click();
  await expect(other.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
  await second.close();

  const third = await browserAsking(browser, 'fr-FR');
  const again = await third.newPage();
  await again.goto('/login');
  await expectLoginIn(again, 'fr');
  await logInFr(again, email, PASSWORD);
  await expect(again.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await expect(again.locator('html')).toHaveAttribute('lang', 'en');
  await third.close();
});

test('a route handler answers in the language asked for, French when none is', async ({ request }) => {
  const refusal = async (acceptLanguage?: string) => {
    const response = await request.get('/api/notifications', { headers: acceptLanguage ? { 'Accept-Language': acceptLanguage } : {} });
    expect(response.status()).toBe(401);
    return ((await response.json()) as { message: string }).message;
  };
  expect(await refusal('en-GB,en;q=0.9')).toBe('Log in to see your notifications.');
  expect(await refusal('fr-FR,fr;q=0.9,en;q=0.8')).toBe('Connectez-vous pour voir vos notifications.');
  expect(await refusal('de-DE,en;q=0.5')).toBe('Log in to see your notifications.');
  expect(await refusal()).toBe('Connectez-vous pour voir vos notifications.');
});
