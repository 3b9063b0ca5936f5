import { expect, expectAccessible, signUp, test, visitorIp, watchCsp } from '../fixtures';
import { personalStep, productStep, startCard } from '../flows';
import { newPhone, noteHandoffLink } from '../handoff-tokens';

// "Continuer sur mon téléphone" in French: the desktop's panel, the phone's step and the refusal page.

const REFUSAL = 'Ce lien a déjà été utilisé ou a expiré. Recommencez depuis votre ordinateur.';

test('le panneau, l’étape sur le téléphone et le refus d’un lien déjà utilisé, en français', async ({ page, browser }) => {
  // Two browsers through a whole wizard: more than the default minute on a busy machine.
  test.slow();
  const baseURL = test.info().project.use.baseURL!;
  // The account and the first steps are made in English (their own specs check them in French); the French
  // browser then takes the session over.
  const setup = await (await watchCsp(await browser.newContext({ baseURL, locale: 'en-US', extraHTTPHeaders: { 'X-Forwarded-For': visitorIp() } }))).newPage();
  const { email } = await signUp(setup);
  await startCard(setup);
  await productStep(setup);
  await personalStep(setup);
  const onboardingUrl = setup.url();
  await page.context().addCookies(await setup.context().cookies());
  await setup.context().close();

  await page.goto(onboardingUrl);
  const panel = page.getByRole('region', { name: 'Plutôt avec votre téléphone\u00a0?' });
  await expect(panel).toBeVisible();
  await panel.getByRole('button', { name: 'Continuer sur mon téléphone' }).click();
  await expect(panel.getByRole('img', { name: 'QR code qui ouvre cette étape sur votre téléphone' })).toBeVisible();
  const link = await panel.getByLabel('Lien pour votre téléphone').inputValue();
  noteHandoffLink(link);
  await expect(panel.getByRole('button', { name: 'Copier le lien' })).toBeVisible();
  await expect(panel.getByText(/^Le lien ne sert qu’une fois, jusqu’à \d{1,2}:\d{2}\.$/)).toBeVisible();
  await expect(panel.getByRole('status').filter({ hasText: 'En attente de votre téléphone.' })).toBeVisible();
  await expectAccessible(page);

  const phone = await (await newPhone(browser, { baseURL, locale: 'fr-FR' })).newPage();
  await phone.goto(link);
  await expect(phone).toHaveURL(`${baseURL}/handoff`);
  await expect(phone.getByText(`Carte de crédit professionnelle, pour ${email}.`, { exact: false })).toBeVisible();
  await expectAccessible(phone);
  await expect(panel.getByRole('status').filter({ hasText: 'Votre téléphone a ouvert cette étape.' })).toBeVisible();

  const other = await (await newPhone(browser, { baseURL, locale: 'fr-FR' })).newPage();
  const refused = await other.goto(link);
  expect(refused?.status()).toBe(404);
  await expect(other.getByRole('heading', { level: 1, name: 'Ce lien ne fonctionne plus' })).toBeVisible();
  await expect(other.getByText(REFUSAL)).toBeVisible();
  await expect(other).toHaveTitle('Lien plus valable · Guidepost');
  await expect(other.locator('html')).toHaveAttribute('lang', 'fr');
  await expectAccessible(other);
});
