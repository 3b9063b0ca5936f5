import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { noteSecretForLogCheck } from './noted-secrets';

// Every browser context gets its own client address, as if each test were a different visitor, so the
// per-IP limits (sign-ups, login failures) apply as they would in real use.
export function visitorIp(): string {
  const octet = () => 1 + Math.floor(Math.random() * 250);
  return `198.18.${octet()}.${octet()}`;
}

// Content-Security-Policy violations of every page of the current test, from every context it opened.
const cspViolations: string[] = [];

/** Records the CSP violations the context's pages report (the test fails on any, see `test` below). */
export async function watchCsp(context: BrowserContext): Promise<BrowserContext> {
  await context.exposeBinding('__guidepostCspViolation', (_source, report: string) => {
    cspViolations.push(report);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} on ${location.pathname} (${event.sourceFile}:${event.lineNumber})`;
      (window as unknown as { __guidepostCspViolation: (report: string) => void }).__guidepostCspViolation(report);
    });
  });
  return context;
}

export async function newDevice(browser: Browser): Promise<BrowserContext> {
  return watchCsp(await browser.newContext({ extraHTTPHeaders: { 'X-Forwarded-For': visitorIp() } }));
}

export const test = base.extend<{ cspClean: void }>({
  context: async ({ context }, provide) => {
    await context.setExtraHTTPHeaders({ 'X-Forwarded-For': visitorIp() });
    await watchCsp(context);
    await provide(context);
  },
  // Every test fails if any page it opened reported a Content-Security-Policy violation.
  cspClean: [
    async ({}, provide) => {
      cspViolations.length = 0;
      await provide();
      expect(cspViolations, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

export const PASSWORD = 'copper-harbor-lantern-58';

export function newEmail(): string {
  return `e2e-${randomUUID()}@example.com`;
}

/**
 * Fails on any serious or critical accessibility violation of the page as it is now, in both colour schemes: the
 * portal follows the system's (app/globals.css), so axe runs in the page's current scheme, then in the other, and
 * the page is left in the scheme it was in.
 */
export async function expectAccessible(page: Page): Promise<void> {
  // Next.js streams a dynamic page's metadata after its content: the title may arrive a moment after the heading.
  await expect(page).toHaveTitle(/\S/);
  const current = (await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)) ? 'dark' : 'light';
  const other = current === 'dark' ? 'light' : 'dark';
  const violations: string[] = [];
  for (const scheme of [current, other] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const results = await new AxeBuilder({ page }).analyze();
    const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    violations.push(...blocking.map((v) => `${scheme}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`));
  }
  await page.emulateMedia({ colorScheme: current });
  expect(violations).toEqual([]);
}

/** Reads the address confirmation link sent to `email` (by default from the server's development mailbox). */
export type ConfirmationLinkReader = (page: Page, email: string) => Promise<string>;

const CONFIRMATION_LINK = /https?:\/\/[^\s<"]+\/verify-email#[A-Za-z0-9_-]{43}/;

/** The newest confirmation link for `email` in the development mailbox (/sandbox/mailbox, loopback only). */
export const linkFromDevMailbox: ConfirmationLinkReader = async (page, email) => {
  let link: string | undefined;
  await expect(async () => {
    const html = await (await page.request.get('/sandbox/mailbox')).text();
    const article = html.split('<article>').find((part) => part.includes(email) && CONFIRMATION_LINK.test(part));
    link = article ? CONFIRMATION_LINK.exec(article)?.[0] : undefined;
    expect(link, `a confirmation link for ${email}`).toBeTruthy();
  }).toPass({ timeout: 10_000 });
  noteSecretForLogCheck(link!.split('#')[1]!);
  return link!;
};

/** Opens the confirmation link and confirms (it leads to the login page when logged out). */
export async function confirmEmail(page: Page, link: string, submit = 'Confirm my email address'): Promise<void> {
  await page.goto(link);
  await page.getByRole('button', { name: submit }).click();
  await expect(page).toHaveURL(/\/(login)?\?verified=1$/);
}

/**
 * A new account, its address confirmed through the emailed link, logged in, on the company profile (where a new
 * user starts). `confirmationLink` reads the email elsewhere than the development mailbox (a test SMTP server).
 */
export async function signUp(
  page: Page,
  email = newEmail(),
  password = PASSWORD,
  confirmationLink: ConfirmationLinkReader = linkFromDevMailbox,
): Promise<{ email: string; password: string }> {
  await page.goto('/signup');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Check your email: we sent a message to ${email}.` })).toBeVisible();
  await confirmEmail(page, await confirmationLink(page, email));
  await expect(page.getByText('Your email address is confirmed. Log in to continue.')).toBeVisible();
  await logIn(page, email, password);
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await page.goto('/settings/company');
  await expect(page.getByRole('heading', { level: 1, name: 'Company profile' })).toBeVisible();
  return { email, password };
}

export async function logIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

export async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await expect(page).toHaveURL(/\/login$/);
}

export async function fillCompanyProfile(
  page: Page,
  values: { siren: string; phone?: string; email?: string; name?: string; language?: 'fr' | 'en' },
): Promise<void> {
  const country = page.getByRole('combobox', { name: 'Country' });
  await page.getByLabel('Company name').fill(values.name ?? 'Acme Conseil');
  await country.fill('Fran');
  await page.getByRole('option', { name: 'France', exact: true }).click();
  await page.getByLabel('Company identification number').fill(values.siren);
  await page.getByLabel('Language', { exact: true }).selectOption(values.language ?? 'fr');
  await page.getByLabel('Contact email').fill(values.email ?? 'finance@example.com');
  await page.getByLabel('Contact phone number').fill(values.phone ?? '06 12 34 56 78');
  await page.getByRole('button', { name: 'Save company profile' }).click();
}
