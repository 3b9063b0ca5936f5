import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { SERVER_LOG } from '../playwright.config';
import { notedSecrets } from './noted-secrets';
import { finqwareControl, issuedGuidancePasswords } from './sandbox';

// Runs after every other spec (see playwright.config.ts), while the server still runs.
const serverLog = () => {
  const log = readFileSync(SERVER_LOG, 'utf8');
  expect(log.length).toBeGreaterThan(0);
  return log;
};

test('the server log holds none of the guidance passwords the sandbox issued', async ({ request }) => {
  const passwords = await issuedGuidancePasswords(request);
  // The guidance specs ran before this one: there must be passwords to look for.
  expect(passwords.length).toBeGreaterThan(0);
  const log = serverLog();
  expect(
    passwords.filter((password) => log.includes(password)),
    'guidance passwords found in the server log',
  ).toEqual([]);
});

test('the server log holds none of the nonces, temp_tokens and access_tokens Finqware issued', async ({ request }) => {
  const issued = await finqwareControl<{ nonces: string[]; temp_tokens: string[]; access_tokens: string[] }>(request, 'issued-secrets');
  expect(issued.nonces.length).toBeGreaterThan(0);
  expect(issued.temp_tokens.length).toBeGreaterThan(0);
  expect(issued.access_tokens.length).toBeGreaterThan(0);
  const log = serverLog();
  const leaked = [...issued.nonces, ...issued.temp_tokens, ...issued.access_tokens].filter((secret) => log.includes(secret));
  expect(leaked, 'Finqware secrets found in the server log').toEqual([]);
});

test('the server log holds none of the hand-off, confirmation and reset links the portal made', () => {
  // Made by the portal itself, not a simulator: the specs noted each link they read from a page or an email.
  const tokens = notedSecrets();
  expect(tokens.length).toBeGreaterThan(0);
  const log = serverLog();
  expect(
    tokens.filter((token) => log.includes(token)),
    'link tokens found in the server log',
  ).toEqual([]);
});
