import type { Page } from '@playwright/test';
import { expect, expectAccessible, test, visitorIp, watchCsp } from '../fixtures';
import { bridgeUsers, signedWebhook } from '../faults';
import { TestServer } from '../server';
import { fillCompanyProfileFr, signUpFr } from './fixtures';

// The guidance page in French, from a French browser, on a server of its own so the Bridge webhook can be sent for
// the one user it holds.

const passwordField = (page: Page) => page.getByLabel('Mot de passe à usage unique');
const onBridge = (page: Page) => page.getByRole('link', { name: /Ouvrir mon accompagnement sur Bridge/ });

let server: TestServer;
test.beforeAll(async () => {
  server = await TestServer.start({ database: 'pglite' });
});
test.afterAll(async () => {
  await server.dispose();
});

test('guidance in French: the link, the password, the countdown, the leak dialog and the guidance-ready notice', async ({ browser }) => {
  test.setTimeout(150_000);
  const context = await watchCsp(await browser.newContext({ baseURL: server.baseURL, locale: 'fr-FR', extraHTTPHeaders: { 'X-Forwarded-For': visitorIp() } }));
  const page = await context.newPage();
  await signUpFr(page);
  await fillCompanyProfileFr(page, { siren: '529196313' });
  const open = page.getByRole('button', { name: 'Ouvrir mon accompagnement' });
  // Once the profile is saved, the guidance page offers to open a session.
  await expect(async () => {
    await page.goto('/guidance');
    await expect(open).toBeVisible({ timeout: 2_000 });
  }).toPass();
  await expect(page.getByRole('heading', { level: 1, name: 'Accompagnement' })).toBeVisible();
  await expect(page).toHaveTitle('Accompagnement · Guidepost');
  await expectAccessible(page);

  await open.click();
  await expect(passwordField(page)).toBeFocused();
  const first = await passwordField(page).inputValue();
  expect(first).toHaveLength(20);
  await expect(onBridge(page)).toHaveAttribute('target', '_blank');
  await expect(page.getByRole('button', { name: 'Copier le mot de passe' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Votre mot de passe à usage unique est affiché et sélectionné.' })).toBeAttached();
  await expect(page.getByText('Affiché une seule fois.')).toBeVisible();
  const timer = page.getByRole('timer');
  await expect(timer).toHaveText(/^(29|30):\d\d$/);
  await expect(timer).toHaveAttribute('aria-label', /^Il reste (29 minutes|30 minutes)/);
  await expect(page.getByRole('button', { name: 'Ouvrir une nouvelle session' })).toBeVisible();
  await expectAccessible(page);

  // The leak report asks first, in French; Annuler keeps the password.
  await page.getByRole('button', { name: 'Je pense que le mot de passe a été divulgué' }).click();
  const dialog = page.getByRole('dialog', { name: 'Signaler un mot de passe divulgué\u00a0?' });
  await expect(dialog.getByRole('heading', { name: 'Signaler un mot de passe divulgué\u00a0?' })).toBeVisible();
  await expect(dialog).toContainText('Le mot de passe actuel cesse immédiatement de fonctionner');
  await expect(dialog).toContainText('Une nouvelle session d’accompagnement s’ouvre aussitôt');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: 'Annuler' }).click();
  await expect(passwordField(page)).toHaveValue(first);
  await page.getByRole('button', { name: 'Je pense que le mot de passe a été divulgué' }).click();
  await dialog.getByRole('button', { name: 'L’invalider et obtenir un nouveau mot de passe' }).click();
  await expect(
    page.getByText('L’ancien mot de passe est invalidé et une nouvelle session d’accompagnement est ouverte avec un nouveau mot de passe.'),
  ).toBeVisible();
  await expect(passwordField(page)).not.toHaveValue(first);
  await expect(page.getByRole('cell', { name: 'Session invalidée (fuite suspectée)' })).toBeVisible();
  await expect(page.getByText('Invalidée (fuite suspectée)', { exact: true })).toBeVisible();

  // After a reload the link stays, the password does not.
  await page.reload();
  await expect(passwordField(page)).toHaveCount(0);
  await expect(onBridge(page)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Afficher de nouveau le mot de passe' })).toBeVisible();
  await expectAccessible(page);

  // Bridge says new guidance is ready: the notice comes in French, on any page, without a reload.
  await page.getByRole('link', { name: 'Tableau de bord' }).click();
  const [bridgeUser] = await bridgeUsers(server);
  const delivered = await signedWebhook(server, {
    type: 'guidance.health.ready',
    content: { user_id: bridgeUser!.uuid, company_identification_number: '529196313' },
  });
  expect(delivered.status).toBe(200);
  await expect(page.getByText('Un nouvel accompagnement est prêt pour Acme Conseil')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('button', { name: 'Ignorer' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Ouvrir une nouvelle session' }).click();
  await expect(passwordField(page)).toBeVisible();
  await expect(page.getByText('Un nouvel accompagnement est prêt pour Acme Conseil')).toHaveCount(0);
  await expect(page.getByText('Votre accompagnement est prêt')).toBeVisible();
  await context.close();
});
