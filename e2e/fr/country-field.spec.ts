import { expect, expectAccessible, test } from '../fixtures';
import { signUpFr } from './fixtures';

// The company form's country field (our own combobox, components/company/country-combobox.tsx) used with the keyboard
// alone, as a French user types: without accents, in French or in English, with the arrows, Enter and Escape.

test('le champ Pays au clavier : sans accents, flèches, Entrée, Échap, et un pays saisi en entier', async ({ page }) => {
  await signUpFr(page);
  const country = page.getByRole('combobox', { name: 'Pays' });
  const list = page.getByRole('listbox', { name: 'Pays' });

  // Focus opens the list; typing filters it, accents and case aside.
  await page.getByLabel('Nom de l’entreprise').fill('Clavier Conseil');
  await page.keyboard.press('Tab');
  await expect(country).toBeFocused();
  await expect(country).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.type('cote');
  await expect(list.getByRole('option').first()).toHaveAccessibleName('Côte d’Ivoire');
  await expectAccessible(page);

  // Down moves through the list (the input keeps the focus and says which option is active); Enter chooses.
  await page.keyboard.press('ArrowDown');
  const active = await country.getAttribute('aria-activedescendant');
  expect(active).toBeTruthy();
  await expect(page.locator(`[id="${active}"]`)).toHaveAccessibleName(/./);
  await page.keyboard.press('ArrowUp');
  await expect(page.locator(`[id="${await country.getAttribute('aria-activedescendant')}"]`)).toHaveAccessibleName('Côte d’Ivoire');
  await page.keyboard.press('Enter');
  await expect(country).toHaveValue('Côte d’Ivoire');
  await expect(country).toHaveAttribute('aria-expanded', 'false');
  await expect(list).toBeHidden();

  // An English name finds the French one; Escape closes and puts back the chosen country.
  await country.fill('Germany');
  await expect(list.getByRole('option', { name: 'Allemagne' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(list).toBeHidden();
  await expect(country).toHaveValue('Côte d’Ivoire');

  // Nothing matches: the field says so, in words.
  await country.fill('zzz');
  await expect(page.getByRole('status').filter({ hasText: 'Aucun pays ne correspond à «\u00a0zzz\u00a0».' })).toBeVisible();

  // A country typed in full and the field left: chosen, as if picked from the list.
  await country.fill('royaume-uni');
  await page.keyboard.press('Tab');
  await expect(country).toHaveValue('Royaume-Uni');
  await expect(page.getByText('Aucun pays ne correspond')).toHaveCount(0);
});
