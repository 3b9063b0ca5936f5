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
