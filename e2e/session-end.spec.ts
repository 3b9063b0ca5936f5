import { expect, expectAccessible, logIn, newDevice, signUp, test } from './fixtures';
import { deviceOn } from './faults';
import { TestServer } from './server';

// Work is never lost at session end (issue #10, item 5), on a server whose idle timeout is one minute: the warning
// comes half-way (30 s before the end) instead of two minutes before.
const IDLE_SECONDS = 60;

test.describe('when the session ends', () => {
  let server: TestServer;
  test.beforeAll(async () => {
    server = await TestServer.start({ database: 'pglite', env: { SESSION_IDLE_SECONDS: String(IDLE_SECONDS) } });
  });
  test.afterAll(async () => {
    await server.dispose();
  });

  test('a warning offers to stay signed in; when time runs out, logging in again returns to the page with what was typed', async ({ browser }) => {
    test.setTimeout(240_000);
    const context = await deviceOn(browser, server);
    const page = await context.newPage();
    const { email } = await signUp(page);
    await page.getByLabel('Company name').fill('Brouillon Conseil');
    await page.getByLabel('Contact email').fill('tresorerie@brouillon.example');

    const warning = page.getByRole('alertdialog', { name: 'Are you still there?' });
    await expect(warning).toBeVisible({ timeout: 45_000 });
    await expect(warning).toContainText('you will be signed out in');
    await expectAccessible(page);
    await warning.getByRole('button', { name: 'Stay signed in' }).click();
    await expect(warning).toBeHidden();
    // The server moved the end: a full minute again (asking does not count as activity).
    const { expiresAt } = (await (await page.request.get('/api/session')).json()) as { expiresAt: string };
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan((IDLE_SECONDS - 10) * 1000);

    // This time nobody answers.
    await expect(warning).toBeVisible({ timeout: 45_000 });
    await page.waitForURL(/\/login\?reason=idle/, { timeout: 45_000 });
    await expect(page.getByText('Your session ended after 1 minute without activity.')).toBeVisible();
    await expectAccessible(page);
    await logIn(page, email);
    await expect(page).toHaveURL(/\/settings\/company$/);
    await expect(page.getByLabel('Company name')).toHaveValue('Brouillon Conseil');
    await expect(page.getByLabel('Contact email')).toHaveValue('tresorerie@brouillon.example');
    await expect(page.getByRole('status').filter({ hasText: 'We put back what you had typed' })).toBeVisible();
    await context.close();
  });
});

test('a session ended elsewhere: the form sent afterwards comes back after logging in', async ({ page, browser }) => {
  const { email } = await signUp(page);
  // A whole profile, so the browser lets the form go (its fields are required).
  await page.getByLabel('Company name').fill('Reprise Conseil');
  await page.getByRole('combobox', { name: 'Country' }).fill('Fran');
  await page.getByRole('option', { name: 'France', exact: true }).click();
  await page.getByLabel('Company identification number').fill('552100554');
  await page.getByLabel('Contact email').fill('finance@reprise.example');

  // The same user logs out everywhere from another browser: this tab's session ends.
  const other = await newDevice(browser);
  const elsewhere = await other.newPage();
  await elsewhere.goto('/login');
  await logIn(elsewhere, email);
  await expect(elsewhere.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await elsewhere.goto('/settings/account');
  await elsewhere.getByRole('button', { name: 'Log out everywhere' }).click();
  await expect(elsewhere).toHaveURL(/\/login$/);
  await other.close();

  await page.getByRole('button', { name: 'Save company profile' }).click();
  await page.waitForURL(/\/login\?reason=session_ended/);
  await expect(page.getByText('Your session has ended.')).toBeVisible();
  await logIn(page, email);
  await expect(page).toHaveURL(/\/settings\/company$/);
  await expect(page.getByLabel('Company name')).toHaveValue('Reprise Conseil');
  await expect(page.getByLabel('Company identification number')).toHaveValue('552100554');
  await expect(page.getByLabel('Contact email')).toHaveValue('finance@reprise.example');
});
