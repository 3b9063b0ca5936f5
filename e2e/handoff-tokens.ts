import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext } from '@playwright/test';
import { visitorIp, watchCsp } from './fixtures';

// The hand-off links the portal made during the run, noted by the specs that read them from the page, so
// the log check (log-check.spec.ts) can search the server's log for their tokens. Under Playwright's
// output folder, which each run starts empty.
const TOKENS_FILE = path.resolve('test-results', 'artifacts', 'handoff-tokens.txt');

/** The link's token, noted for the log check. */
export function noteHandoffLink(link: string): string {
  const token = new URL(link).pathname.split('/').at(-1)!;
  noteSecretForLogCheck(token);
  return token;
}

/** Another secret the portal made and the page showed (a reset link's token), for the same check. */
export function noteSecretForLogCheck(secret: string): void {
  mkdirSync(path.dirname(TOKENS_FILE), { recursive: true });
  appendFileSync(TOKENS_FILE, `${secret}\n`);
}

export function notedHandoffTokens(): string[] {
  return existsSync(TOKENS_FILE) ? readFileSync(TOKENS_FILE, 'utf8').split('\n').filter(Boolean) : [];
}

/** A phone: its own browser context at a phone's size, with touch, and an address of its own. */
export async function newPhone(browser: Browser, options: { baseURL: string; locale: string }): Promise<BrowserContext> {
  return watchCsp(
    await browser.newContext({
      ...options,
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      extraHTTPHeaders: { 'X-Forwarded-For': visitorIp() },
    }),
  );
}
