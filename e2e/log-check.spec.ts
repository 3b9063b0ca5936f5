import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { SERVER_LOG } from '../playwright.config';
import { issuedGuidancePasswords } from './sandbox';

test('the server log holds none of the guidance passwords the sandbox issued', async ({ request }) => {
  const passwords = await issuedGuidancePasswords(request);
  // The guidance specs ran before this one: there must be passwords to look for.
  expect(passwords.length).toBeGreaterThan(0);
  const log = readFileSync(SERVER_LOG, 'utf8');
  expect(log.length).toBeGreaterThan(0);
  const leaked = passwords.filter((password) => log.includes(password));
  expect(leaked, 'guidance passwords found in the server log').toEqual([]);
});
