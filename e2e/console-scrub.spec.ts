import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { SERVER_LOG } from '../playwright.config';

// Next.js prints errors itself, with console.error, outside our logger, and some of them quote the
// request: an unknown server action id is printed as received. The production server scrubs its
// console like its log, so a secret-shaped value sent there never reaches the server's output.

test("Next.js's own error output is scrubbed: a JWT sent as a server action id is printed censored", async ({ request }) => {
  const signature = randomBytes(24).toString('base64url');
  const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.${signature}`;
  const response = await request.post('/login', {
    headers: { 'Next-Action': jwt, 'Content-Type': 'text/plain;charset=UTF-8' },
    data: '[]',
  });
  expect(response.status()).toBeGreaterThanOrEqual(400);
  // Next.js printed its complaint about the id, with the id censored.
  await expect.poll(() => /Server Reference ID did not match the expected format\. Received "\[redacted\]"/.test(readFileSync(SERVER_LOG, 'utf8'))).toBe(true);
  expect(readFileSync(SERVER_LOG, 'utf8')).not.toContain(signature);
});
