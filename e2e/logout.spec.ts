import type { APIRequestContext, Browser, BrowserContext } from '@playwright/test';
import { expect, logOut, newDevice, signUp, test } from './fixtures';

// Attack: a session cookie copied before the user signs out (a shared computer, a stolen backup, a
// proxy log) must be worthless afterwards, whichever way the user signed out.

const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

async function sessionCookies(context: BrowserContext) {
  const cookies = (await context.cookies()).filter((cookie) => SESSION_COOKIE.test(cookie.name));
  expect(cookies.length, 'a session cookie after sign-up').toBeGreaterThan(0);
  return cookies;
}

type Copied = Awaited<ReturnType<typeof sessionCookies>>;

/** The attacker's browser: another device holding only the copied cookie. */
async function replayOnPage(browser: Browser, copied: Copied): Promise<string> {
  const attacker = await newDevice(browser);
  await attacker.addCookies(copied);
  const page = await attacker.newPage();
  await page.goto('/');
  const url = new URL(page.url()).pathname;
  await attacker.close();
  return url;
}

async function replayOnApi(request: APIRequestContext, copied: Copied): Promise<number> {
  const cookie = copied.map((c) => `${c.name}=${c.value}`).join('; ');
  const response = await request.get('/api/notifications', { headers: { cookie } });
  return response.status();
}

test("next-auth's own sign-out page revokes the session: a copied cookie is refused afterwards", async ({ page, browser, request }) => {
  await signUp(page);
  const copied = await sessionCookies(page.context());
  // The copy works while the session lives, so the refusal below is the sign-out's doing.
  expect(await replayOnPage(browser, copied)).toBe('/');
  expect(await replayOnApi(request, copied)).toBe(200);

  // As a browser does it: GET the confirmation page (it carries the CSRF token), then POST its form.
  await page.goto('/api/auth/signout');
  const form = page.locator('form[action$="/api/auth/signout"]');
  await expect(form.locator('input[name="csrfToken"]')).toHaveCount(1);
  const signedOut = page.waitForResponse((response) => response.url().endsWith('/api/auth/signout') && response.request().method() === 'POST');
  await form.getByRole('button', { name: 'Sign out' }).click();
  expect((await signedOut).status()).toBeLessThan(400);
  await expect.poll(async () => (await page.context().cookies()).filter((c) => SESSION_COOKIE.test(c.name)).length).toBe(0);

  expect(await replayOnPage(browser, copied)).toBe('/login');
  expect(await replayOnApi(request, copied)).toBe(401);
});

test("the portal's Log out revokes the session: a copied cookie is refused afterwards", async ({ page, browser, request }) => {
  await signUp(page);
  const copied = await sessionCookies(page.context());
  expect(await replayOnApi(request, copied)).toBe(200);

  await logOut(page);

  expect(await replayOnPage(browser, copied)).toBe('/login');
  expect(await replayOnApi(request, copied)).toBe(401);
});
