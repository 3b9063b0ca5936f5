import type { Browser, BrowserContext } from '@playwright/test';
import { visitorIp, watchCsp } from './fixtures';
import { noteSecretForLogCheck } from './noted-secrets';

/** The link's token, noted for the log check. */
export function noteHandoffLink(link: string): string {
  const token = new URL(link).pathname.split('/').at(-1)!;
  noteSecretForLogCheck(token);
  return token;
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
