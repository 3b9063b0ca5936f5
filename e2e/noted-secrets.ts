import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// Secrets the portal itself made and a spec read from a page or an email (hand-off links, confirmation and reset
// links), noted so the log check (log-check.spec.ts) can search the server's log for them. Under Playwright's
// output folder, which each run starts empty.
const NOTED_FILE = path.resolve('test-results', 'artifacts', 'noted-secrets.txt');

export function noteSecretForLogCheck(secret: string): void {
  mkdirSync(path.dirname(NOTED_FILE), { recursive: true });
  appendFileSync(NOTED_FILE, `${secret}\n`);
}

export function notedSecrets(): string[] {
  return existsSync(NOTED_FILE) ? readFileSync(NOTED_FILE, 'utf8').split('\n').filter(Boolean) : [];
}
