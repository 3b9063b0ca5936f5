import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

// End-to-end tests run the production build (`next build` first) on the embedded default: a fresh
// PGlite directory and the provider sandbox, in Debian's Chromium.
// E2E_PORT lets two checkouts run their end-to-end tests side by side.
const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;
const dataDir = mkdtempSync(path.join(tmpdir(), 'guidepost-e2e-'));
export const SERVER_LOG = path.resolve('test-results', 'server.log');

export default defineConfig({
  testDir: './e2e',
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  // Long flows (sign-up, a whole wizard, an axe check per page, a server of their own) take 45–70 s on CI's two cores
  // with two workers and their browsers sharing them: a 60 s budget failed them at random.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results/artifacts',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // Without these Chromium keeps calling out to Google's hosts, which this network refuses.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // A camera for the document capture: Chromium's test pattern, allowed without asking.
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
      ],
    },
  },
  projects: [
    // The English run (Chromium's en-US), and the French run of the main flows with French locators (e2e/fr/).
    { name: 'chromium', use: { browserName: 'chromium', locale: 'en-US' }, testIgnore: [/log-check/, /\/fr\//] },
    { name: 'chromium-fr', use: { browserName: 'chromium', locale: 'fr-FR' }, testMatch: /\/fr\/.*\.spec\.ts/ },
    // Runs last, while the server still runs: searches its whole log for every secret the sandbox issued.
    { name: 'log-check', testMatch: /log-check\.spec\.ts/, dependencies: ['chromium', 'chromium-fr'] },
  ],
  webServer: {
    // `exec` so the process Playwright stops is the Next.js server itself; its whole output goes to
    // SERVER_LOG so checks can search it for secrets after the run.
    command: `mkdir -p test-results && exec node scripts/server.mjs -p ${PORT} > ${SERVER_LOG} 2>&1`,
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    env: {
      PORT: String(PORT),
      APP_URL: baseURL,
      PGLITE_DIR: path.join(dataDir, 'pglite'),
      DATABASE_URL: '',
      REDIS_URL: '',
      NEXT_TELEMETRY_DISABLED: '1',
      LOG_LEVEL: 'info',
      // Long enough that no test here meets step-up by chance; e2e/security.spec.ts waits out a short
      // window on a server of its own.
      RECENT_LOGIN_SECONDS: '600',
      // Each browser context plays a visitor with an address of its own (X-Forwarded-For, set by the
      // fixtures), as a load balancer in front would report it.
      TRUSTED_PROXY_HOPS: '1',
      SUPPORT_EMAIL: 'support@guidepost.example',
      SUPPORT_URL: 'https://help.guidepost.example',
    },
  },
});
