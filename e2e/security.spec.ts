import { networkInterfaces } from 'node:os';
import type { Page } from '@playwright/test';
import { confirmEmail, expect, fillCompanyProfile, linkFromDevMailbox, newEmail, PASSWORD, signUp, test } from './fixtures';
import { deviceOn, issuedGuidancePasswords } from './faults';
import { personalStep, productStep, readyForGuidance, startCard, uploadSteps } from './flows';
import { BRIDGE_HEADERS } from './sandbox';
import { credentialsPost } from './credentials-post';
import { startExpectingExit, TestServer } from './server';

// Attacks on the portal around the guidance password: an exposed demo, weak deployment values, missing
// headers, forms before JavaScript, spoofed client addresses, stale logins. Each must fail.

test.describe('the demo is not exposed', () => {
  test('it listens on loopback only: its control API cannot be reached on another address of the machine', async ({ request }) => {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
    test.skip(!address, 'this machine has no non-loopback IPv4 address to try');
    const port = new URL(test.info().project.use.baseURL!).port;
    const reached = await fetch(`http://${address}:${port}/sandbox/bridge/_control/issued-passwords`, { headers: BRIDGE_HEADERS }).then(
      (response) => response.status,
      (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? 'failed',
    );
    expect(reached).toBe('ECONNREFUSED');
    // From this machine it answers, and a forged peer header cannot make it look remote or local.
    expect(
      (await request.get('/sandbox/bridge/_control/issued-passwords', { headers: { ...BRIDGE_HEADERS, 'x-guidepost-peer': '203.0.113.9' } })).status(),
    ).toBe(200);
  });

  test('a production configuration that is a deployment for any reason refuses the sandbox and generated secrets', async () => {
    const signs: Array<Record<string, string>> = [
      { HOST: '0.0.0.0' },
      { DATABASE_URL: 'postgres://app@db.example.net:5432/guidepost' },
      { GUIDEPOST_DEPLOYMENT: 'true' },
    ];
    for (const sign of signs) {
      const { code, output } = await startExpectingExit({ NODE_ENV: 'production', ...sign });
      expect(code, JSON.stringify(sign)).toBe(1);
      for (const name of ['APP_URL', 'AUTH_SECRET', 'ENCRYPTION_KEY', 'BRIDGE_API_URL', 'FINQWARE_API_URL'])
        expect(output).toContain(`${name}: is required in a deployment`);
      expect(output).toMatch(/this configuration is a deployment because/);
    }
  });

  test('a deployment refuses each weak or published value, naming the variable and never its value', async () => {
    const weakAuthSecret = 'x'.repeat(48);
    const { code, output } = await startExpectingExit({
      NODE_ENV: 'production',
      APP_URL: 'https://portal.example.com',
      AUTH_SECRET: weakAuthSecret,
      ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
      DATABASE_URL: 'postgres://app@db.example.net:5432/guidepost',
      BRIDGE_API_URL: 'http://api.bridgeapi.io/v3',
      BRIDGE_CLIENT_ID: 'sandbox-bridge-client-id',
      BRIDGE_CLIENT_SECRET: 'sandbox-bridge-client-secret',
      BRIDGE_WEBHOOK_SECRETS: 'sandbox-bridge-webhook-secret',
      FINQWARE_API_URL: 'http://api.finqware.com/v1',
      FINQWARE_CLIENT_ID: 'sandbox-finqware-client-id',
      FINQWARE_CLIENT_APP_KEY: 'sandbox-finqware-client-app-key',
      FINQWARE_CLIENT_SECRET: 'sandbox-finqware-client-secret',
    });
    expect(code).toBe(1);
    for (const line of [
      'AUTH_SECRET: looks weak',
      'ENCRYPTION_KEY: looks weak',
      'BRIDGE_API_URL: must use https',
      'FINQWARE_API_URL: must use https',
      "BRIDGE_CLIENT_ID: is the sandbox's published default",
      "BRIDGE_CLIENT_SECRET: is the sandbox's published default",
      "BRIDGE_WEBHOOK_SECRETS: holds the sandbox's published default",
      "FINQWARE_CLIENT_ID: is the sandbox's published default",
      "FINQWARE_CLIENT_APP_KEY: is the sandbox's published default",
      "FINQWARE_CLIENT_SECRET: is the sandbox's published default",
    ]) {
      expect(output).toContain(line);
    }
    expect(output).not.toContain(weakAuthSecret);
  });
});

test.describe('headers', () => {
  test('every page has a CSP with its own nonce on its scripts, and the other protective headers', async ({ page }) => {
    await signUp(page);
    const nonces: string[] = [];
    for (const path of ['/login', '/signup', '/', '/guidance', '/onboarding', '/settings/company', '/settings/account', '/no-such-page']) {
      const response = await page.request.get(path, { maxRedirects: 0 });
      const csp = response.headers()['content-security-policy'] ?? '';
      for (const directive of ["'strict-dynamic'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"])
        expect(csp, path).toContain(directive);
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce, path).toBeTruthy();
      nonces.push(nonce!);
      const html = await response.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const script of scripts) expect(script, path).toContain(`nonce="${nonce}"`);
      expect(response.headers()['cross-origin-opener-policy']).toBe('same-origin');
      expect(response.headers()['referrer-policy']).toBe('strict-origin-when-cross-origin');
      // Served over plain http here: no HSTS.
      expect(response.headers()['strict-transport-security']).toBeUndefined();
    }
    expect(new Set(nonces).size).toBe(nonces.length);
    // next-auth's own page (no script of ours in it) is covered too.
    const signOutPage = await page.request.get('/api/auth/signout');
    expect(signOutPage.headers()['content-type']).toMatch(/^text\/html/);
    const policy = signOutPage.headers()['content-security-policy'] ?? '';
    for (const directive of ["'strict-dynamic'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"])
      expect(policy).toContain(directive);
  });

  test('HSTS for a year with subdomains when the portal is served over https', async () => {
    const server = await TestServer.start({ database: 'pglite', env: { APP_URL: 'https://localhost' } });
    try {
      const response = await fetch(`${server.baseURL}/login`);
      expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      expect(response.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    } finally {
      await server.dispose();
    }
  });
});

test.describe('forms before JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('sign-up, company profile, guidance and login work posted natively', async ({ page, browser }) => {
    const email = newEmail();
    await page.goto('/signup');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Check your email: we sent a message to ${email}.` })).toBeVisible();
    // The confirmation link's token is in its fragment, which only a script reads: confirmed in a browser with one.
    const withScripts = await browser.newContext({ javaScriptEnabled: true });
    const mail = await withScripts.newPage();
    await confirmEmail(mail, await linkFromDevMailbox(mail, email));
    await withScripts.close();
    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    await page.goto('/settings/company');

    await page.getByLabel('Company name').fill('Acme Conseil');
    // No list without JavaScript: a country typed in full counts.
    await page.getByRole('combobox', { name: 'Country' }).fill('France');
    await page.getByLabel('Company identification number').fill('529196313');
    await page.getByLabel('Contact email').fill('finance@example.com');
    await page.getByRole('button', { name: 'Save company profile' }).click();
    await expect(page.getByText('Company profile saved.')).toBeVisible();

    await page.goto('/guidance');
    await page.getByRole('button', { name: 'Open my guidance' }).click();
    const password = page.getByLabel('One-time password');
    await expect(password).toBeVisible();
    expect(await password.inputValue()).toHaveLength(20);

    await page.getByRole('button', { name: 'Log out', exact: true }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  });

  test('a form posted from another site is refused with a 403 page, not a 500', async ({ request }) => {
    const form = { email: 'someone@example.com', password: PASSWORD };
    // As a native post from another site's page, and as another site's script calling an action.
    const forged = await request.post('/login', { form, headers: { Origin: 'https://evil.example', Accept: 'text/html', 'Accept-Language': 'en' } });
    expect(forged.status()).toBe(403);
    expect(forged.headers()['content-type']).toMatch(/^text\/html/);
    expect(await forged.text()).toContain('This form was sent from another site');
    // Without a language asked for, the page is in French, the portal's default.
    const unasked = await request.post('/login', { form, headers: { Origin: 'https://evil.example', Accept: 'text/html' } });
    expect(unasked.status()).toBe(403);
    expect(await unasked.text()).toContain('Ce formulaire a été envoyé depuis un autre site');
    const scripted = await request.post('/guidance', { form, headers: { Origin: 'null', 'Sec-Fetch-Site': 'cross-site', 'Next-Action': 'any' } });
    expect(scripted.status()).toBe(403);
    expect(await scripted.json()).toMatchObject({ error: 'cross_site' });
  });
});

test.describe('client addresses and login limits', () => {
  test('40 spoofed X-Forwarded-For values do not escape the limit when no proxy is trusted; the route answers 429 with Retry-After', async ({ browser }) => {
    test.setTimeout(120_000);
    const server = await TestServer.start({ database: 'pglite', env: { TRUSTED_PROXY_HOPS: '0' } });
    try {
      const page = await (await deviceOn(browser, server)).newPage();
      const { email } = await signUp(page);
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 40; i++) {
        const attempt = await credentialsPost(server.baseURL, email, `wrong-guess-${i}`, `198.51.100.${i + 1}`);
        statuses.push(attempt.status);
        retryAfter ??= attempt.retryAfter;
      }
      // Five failures from this socket address, then refused however the header changes.
      expect(statuses.slice(0, 5).every((status) => status !== 429)).toBe(true);
      expect(statuses.slice(5).every((status) => status === 429)).toBe(true);
      expect(Number(retryAfter)).toBeGreaterThan(60);
    } finally {
      await server.dispose();
    }
  });

  test("strangers guessing an email from many addresses cannot keep its owner's browser out", async ({ browser }) => {
    test.setTimeout(150_000);
    // One trusted proxy in front: each attempt's X-Forwarded-For is its own address.
    const server = await TestServer.start({ database: 'pglite', env: { TRUSTED_PROXY_HOPS: '1' } });
    try {
      const owner = await (await deviceOn(browser, server)).newPage();
      const { email } = await signUp(owner);
      await owner.getByRole('button', { name: 'Log out', exact: true }).click();
      for (let i = 0; i < 32; i++) await credentialsPost(server.baseURL, email, `wrong-guess-${i}`, `203.0.113.${i + 1}`);
      // A new browser is told to wait...
      const stranger = await (await deviceOn(browser, server)).newPage();
      await stranger.goto('/login');
      await stranger.getByLabel('Email').fill(email);
      await stranger.getByLabel('Password').fill(PASSWORD);
      await stranger.getByRole('button', { name: 'Log in' }).click();
      await expect(stranger.getByText(/Too many attempts/)).toBeVisible();
      // ...the owner's own browser logs in.
      await owner.getByLabel('Email').fill(email);
      await owner.getByLabel('Password').fill(PASSWORD);
      await owner.getByRole('button', { name: 'Log in' }).click();
      await expect(owner.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    } finally {
      await server.dispose();
    }
  });
});

test.describe('step-up after a while', () => {
  // Short enough to wait out; every sensitive step below comes after the wait, so a slow machine
  // cannot make a test meet step-up earlier than it expects.
  const RECENT = 15;
  let server: TestServer;
  test.beforeAll(async () => {
    server = await TestServer.start({ database: 'pglite', env: { RECENT_LOGIN_SECONDS: String(RECENT) } });
  });
  test.afterAll(async () => {
    await server.dispose();
  });

  const staleLogin = (page: Page) => page.waitForTimeout((RECENT + 1) * 1000);
  const sessionCookie = async (page: Page) => (await page.context().cookies()).find((cookie) => cookie.name.includes('authjs.session-token'))?.value;
  const passwordField = (page: Page) => page.getByLabel('One-time password');

  test('opening a session, showing it again and reporting a leak ask for the password in place; the session id rotates and the old one stops working', async ({
    browser,
  }) => {
    test.setTimeout(150_000);
    const context = await deviceOn(browser, server);
    const page = await context.newPage();
    await readyForGuidance(page);
    const before = (await issuedGuidancePasswords(server)).length;

    await staleLogin(page);
    await page.getByRole('button', { name: 'Open my guidance' }).click();
    await page.getByLabel('Your Guidepost password').fill('not-my-password-at-all');
    await page.getByRole('button', { name: 'Confirm and open a session' }).click();
    await expect(page.getByText('This is not your Guidepost password.')).toBeVisible();
    expect((await issuedGuidancePasswords(server)).length).toBe(before);

    const oldCookie = await sessionCookie(page);
    await page.getByLabel('Your Guidepost password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Confirm and open a session' }).click();
    await expect(passwordField(page)).toBeVisible();
    const password = await passwordField(page).inputValue();
    expect((await issuedGuidancePasswords(server)).length).toBe(before + 1);
    const newCookie = await sessionCookie(page);
    expect(newCookie).toBeTruthy();
    expect(newCookie).not.toBe(oldCookie);

    // The cookie from before the re-authentication is worth nothing once its grace (10 s) is over.
    await page.waitForTimeout(11_000);
    const replay = await fetch(`${server.baseURL}/api/notifications`, { headers: { cookie: `authjs.session-token=${oldCookie}` } });
    expect(replay.status).toBe(401);
    expect((await fetch(`${server.baseURL}/api/notifications`, { headers: { cookie: `authjs.session-token=${newCookie}` } })).status).toBe(200);

    await staleLogin(page);
    await page.reload();
    await page.getByRole('button', { name: 'Show password again' }).click();
    await expect(passwordField(page)).toHaveCount(0);
    await page.getByLabel('Your Guidepost password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Confirm and show password' }).click();
    await expect(passwordField(page)).toHaveValue(password);

    await staleLogin(page);
    await page.reload();
    await page.getByRole('button', { name: 'I think the password leaked' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Invalidate it and get a new password' }).click();
    await expect(page.getByRole('button', { name: 'Confirm and report the leak' })).toBeVisible();
    expect((await issuedGuidancePasswords(server)).length).toBe(before + 1);
    await page.getByLabel('Your Guidepost password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Confirm and report the leak' }).click();
    await expect(page.getByText('The old password is invalidated and a new guidance session is open with a new password.')).toBeVisible();
    expect((await issuedGuidancePasswords(server)).length).toBe(before + 2);
  });

  test('revoking a consent asks for the password in place of the button', async ({ browser }) => {
    test.setTimeout(90_000);
    const page = await (await deviceOn(browser, server)).newPage();
    await signUp(page);
    await startCard(page);
    await productStep(page);
    await personalStep(page);
    await uploadSteps(page);
    await expect(page.getByRole('heading', { name: 'Onboarding complete' })).toBeVisible();

    await staleLogin(page);
    await page.goto('/');
    await page.getByRole('button', { name: 'Revoke consent for Business credit card' }).click();
    await page.getByLabel('Your Guidepost password').fill('not-my-password-at-all');
    await page.getByRole('button', { name: 'Confirm and revoke consent' }).click();
    await expect(page.getByText('This is not your Guidepost password.')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Onboarding complete' })).toBeVisible();
    await page.getByLabel('Your Guidepost password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Confirm and revoke consent' }).click();
    await expect(page.getByRole('heading', { name: 'Consent revoked' })).toBeVisible();
  });

  test('changing the identification number asks for the password without losing what was typed', async ({ browser }) => {
    test.setTimeout(90_000);
    const page = await (await deviceOn(browser, server)).newPage();
    await signUp(page);
    await fillCompanyProfile(page, { siren: '529196313' });
    await expect(page.getByText('Company profile saved.')).toBeVisible();

    await staleLogin(page);
    await page.reload();
    await page.getByLabel('Company identification number').fill('732 829 320');
    await page.getByLabel('Contact email').fill('treasury@example.com');
    await page.getByRole('button', { name: 'Save company profile' }).click();
    const confirm = page.getByLabel('Your Guidepost password');
    await expect(confirm).toBeVisible();
    await expect(page.getByLabel('Company identification number')).toHaveValue('732 829 320');
    await expect(page.getByLabel('Contact email')).toHaveValue('treasury@example.com');
    await page.goto('/');
    await expect(page.getByText('529196313')).toBeVisible();

    await page.goto('/settings/company');
    await page.getByLabel('Company identification number').fill('732 829 320');
    await page.getByRole('button', { name: 'Save company profile' }).click();
    await page.getByLabel('Your Guidepost password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Save company profile' }).click();
    await expect(page.getByText('Company profile saved.')).toBeVisible();
    await page.goto('/');
    await expect(page.getByText('732829320')).toBeVisible();
  });
});
