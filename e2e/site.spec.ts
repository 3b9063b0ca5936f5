import { expect, expectAccessible, signUp, test } from './fixtures';

test('every page has the logo and a favicon; /favicon.ico is the same mark', async ({ page, request }) => {
  await page.goto('/login');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Guidepost' })).toBeVisible();
  const icon = await page.locator('link[rel="icon"]').first().getAttribute('href');
  expect(icon).toMatch(/^\/icon\.svg/);
  for (const path of [icon!, '/favicon.ico']) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()['content-type'], path).toContain('image/svg+xml');
  }
});

test('the footer gives the configured support contact and the privacy notice, logged out and in', async ({ page }) => {
  await page.goto('/login');
  const footer = page.getByRole('contentinfo');
  await expect(footer.getByRole('link', { name: 'support@guidepost.example' })).toHaveAttribute('href', 'mailto:support@guidepost.example');
  await expect(footer.getByRole('link', { name: 'Help centre' })).toHaveAttribute('href', 'https://help.guidepost.example');
  await footer.getByRole('link', { name: 'Privacy notice' }).click();
  await expect(page).toHaveURL(/\/privacy$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Privacy notice' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Identity checks (KYC) for an onboarding' })).toBeVisible();
  await expectAccessible(page);

  await signUp(page);
  await expect(page.getByRole('contentinfo').getByRole('link', { name: 'Privacy notice' })).toBeVisible();
});

test('an unknown address gets our own 404 page with a way back', async ({ page }) => {
  // Logged out, every address but the public pages leads to the login first.
  await signUp(page);
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Go to the dashboard' })).toHaveAttribute('href', '/');
  await expectAccessible(page);
});

test('on a phone the header is compact: one row for the logo and "Log out", one for the navigation', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  try {
    await signUp(page);
    const header = page.getByRole('banner');
    const height = (await header.boundingBox())!.height;
    expect(height).toBeLessThanOrEqual(110);
    const logOut = (await header.getByRole('button', { name: 'Log out' }).boundingBox())!;
    // One line of text: the button is no taller than on a desktop, and whole on the screen.
    expect(logOut.height).toBeLessThanOrEqual(40);
    expect(logOut.x + logOut.width).toBeLessThanOrEqual(390);
    // The logo keeps its name for screen readers when only the mark shows.
    await expect(header.getByRole('link', { name: 'Guidepost' })).toBeVisible();
    // In French too, where "Log out" is "Se déconnecter", the first row holds the language switch and the button.
    await header.getByRole('button', { name: 'Français' }).click();
    const seDeconnecter = header.getByRole('button', { name: 'Se déconnecter' });
    await expect(seDeconnecter).toBeVisible();
    const french = (await seDeconnecter.boundingBox())!;
    expect(french.height).toBeLessThanOrEqual(40);
    expect(french.x + french.width).toBeLessThanOrEqual(390);
    expect((await header.boundingBox())!.height).toBeLessThanOrEqual(110);
    await header.getByRole('button', { name: 'English' }).click();
    await expect(header.getByRole('button', { name: 'Log out' })).toBeVisible();
    // Every destination stays reachable.
    for (const name of ['Dashboard', 'Guidance', 'Onboarding', 'Company', 'Account']) {
      await expect(header.getByRole('navigation', { name: 'Main' }).getByRole('link', { name })).toBeAttached();
    }
    await header.getByRole('link', { name: 'Account' }).click();
    await expect(page).toHaveURL(/\/settings\/account$/);
    await expectAccessible(page);
  } finally {
    await context.close();
  }
});
