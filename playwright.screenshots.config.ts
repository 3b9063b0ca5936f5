import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// The README's screenshots (docs/screenshots/), taken from the production build on the embedded default, in French
// and English: `npm run screenshots` after `next build`. Not a test: nothing here is asserted beyond reaching each
// screen, and CI does not run it.
export default defineConfig({
  ...base,
  testDir: './e2e/screenshots',
  testMatch: /\.shots\.ts$/,
  retries: 0,
  workers: 1,
  timeout: 120_000,
  projects: [{ name: 'screenshots', use: { browserName: 'chromium' } }],
});
