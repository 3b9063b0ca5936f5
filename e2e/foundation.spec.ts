import { PASSWORD, expect, newDevice, test, expectAccessible, fillCompanyProfile, logIn, logOut, newEmail, signUp } from './fixtures';

test('the public pages are accessible and show the sandbox badge', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Log in to Guidepost' })).toBeVisible();
  await expect(page.getByText('Sandbox', { exact: true })).toBeVisible();
  await expectAccessible(page);
  await page.goto('/signup');
  await expectAccessible(page);
});

test('sign-up refuses a weak password and keeps the email typed', async ({ page }) => {
  const email = newEmail();
  await page.goto('/signup');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('password1234');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText(/too easy to guess/)).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await expectAccessible(page);
});

test('sign up, edit the company profile and see it on the dashboard', async ({ page }) => {
  await signUp(page);
  await expectAccessible(page);

  await fillCompanyProfile(page, { siren: '123456789' });
  const siren = page.getByLabel('Company identification number');
  await expect(siren).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/check digit/i)).toBeVisible();
  // What the user typed is still there.
  await expect(siren).toHaveValue('123456789');
  await expect(page.getByLabel('Contact email')).toHaveValue('finance@example.com');
  await expectAccessible(page);

  await siren.fill('529 196 313');
  await page.getByRole('button', { name: 'Save company profile' }).click();
  await expect(page.getByText('Company profile saved.')).toBeVisible();

  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await expect(page.getByText('529196313')).toBeVisible();
  await expect(page.getByText('Acme Conseil')).toBeVisible();
  await expect(page.getByText('France')).toBeVisible();
  // Stored as +33612345678, shown as written in France.
  await expect(page.getByText('06 12 34 56 78')).toBeVisible();
  await expectAccessible(page);
});

test('log out, a protected URL redirects to login and back after logging in; a wrong password is refused', async ({ page }) => {
  const { email } = await signUp(page);
  await logOut(page);

  await page.goto('/settings/account');
  await expect(page).toHaveURL(/\/login$/);

  await logIn(page, email, 'definitely-not-my-password');
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('The email or password is not right.');
  await expect(page.getByLabel('Email')).toHaveValue(email);

  await logIn(page, email);
  await expect(page).toHaveURL(/\/settings\/account$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
  await expectAccessible(page);
});

test('an unknown email gets the same answer as a wrong password', async ({ page }) => {
  await page.goto('/login');
  await logIn(page, newEmail(), PASSWORD);
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('The email or password is not right.');
});

test('log out everywhere ends the sessions on other devices', async ({ page, browser }) => {
  const { email } = await signUp(page);
  const otherDevice = await newDevice(browser);
  const other = await otherDevice.newPage();
  await other.goto('/login');
  await logIn(other, email);
  await expect(other.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

  await page.goto('/settings/account');
  await page.getByRole('button', { name: 'Log out everywhere' }).click();
  await expect(page).toHaveURL(/\/login$/);

  await other.reload();
  // The other device is told why it must log in again.
  await expect(other).toHaveURL(/\/login\?reason=session_ended$/);
  await expect(other.getByRole('status').filter({ hasText: 'Your session has ended.' })).toBeVisible();
  await otherDevice.close();
});

test('a password change ends every other session but keeps this one', async ({ page, browser }) => {
  const { email } = await signUp(page);
  const otherDevice = await newDevice(browser);
  const other = await otherDevice.newPage();
  await other.goto('/login');
  await logIn(other, email);
  await expect(other.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();

  await page.goto('/settings/account');
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('New password').fill('saffron-glacier-tandem-41');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText(/Password changed/)).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
  await other.reload();
  // The other device is told why it must log in again.
  await expect(other).toHaveURL(/\/login\?reason=session_ended$/);
  await expect(other.getByRole('status').filter({ hasText: 'Your session has ended.' })).toBeVisible();
  await otherDevice.close();
});

test('account deletion asks for the password, says what goes in a dialog, and removes the account', async ({ page }) => {
  const { email } = await signUp(page);
  await page.goto('/settings/account');
  await expectAccessible(page);

  // Cancel deletes nothing.
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Delete my account' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
  await expect(dialog).toContainText('removes your user at Bridge');
  await expect(dialog).toContainText('This cannot be undone.');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();

  await page.getByLabel('Password', { exact: true }).fill('not-my-password-at-all');
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete permanently' }).click();
  await expect(page.getByText('This is not your current password.')).toBeVisible();

  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Delete my account' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete permanently' }).click();
  await expect(page).toHaveURL(/\/login\?deleted=1$/);
  await expect(page.getByText('Your account has been deleted.')).toBeVisible();

  await logIn(page, email);
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('The email or password is not right.');
});

test('liveness answers ok; readiness reports the embedded database and the simulated providers', async ({ request }) => {
  const live = await request.get('/api/health');
  expect(live.status()).toBe(200);
  expect(await live.json()).toEqual({ status: 'ok' });
  const ready = await request.get('/api/ready');
  expect(ready.status()).toBe(200);
  expect(ready.headers()['cache-control']).toBe('no-store');
  expect(await ready.json()).toMatchObject({
    status: 'ready',
    database: { kind: 'pglite', ok: true },
    providers: { bridge: { mode: 'sandbox' }, finqware: { mode: 'sandbox' } },
  });
});

test('the Bridge sandbox is mounted with the provider paths and refuses wrong credentials', async ({ request }) => {
  const denied = await request.get('/sandbox/bridge/v3/aggregation/users', {
    headers: { 'Client-Id': 'sandbox-bridge-client-id', 'Client-Secret': 'wrong', 'Bridge-Version': '2025-01-15' },
  });
  expect(denied.status()).toBe(401);
  const listed = await request.get('/sandbox/bridge/v3/aggregation/users', {
    headers: { 'Client-Id': 'sandbox-bridge-client-id', 'Client-Secret': 'sandbox-bridge-client-secret', 'Bridge-Version': '2025-01-15' },
  });
  expect(listed.status()).toBe(200);
  expect(await listed.json()).toHaveProperty('resources');
});
