// What the benchmark scripts share (bench/pages.mjs, bench/sse-idle.mjs, bench/onboarding-server.mjs): a build, a
// production server of it on a database of its own, and a user signed up through the UI as a person would.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { serverEnv } from '../scripts/server-env.mjs';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Builds the app unless `distDir` already holds a build (and `reuse` allows it); `env` adds to the build's environment. */
export function buildOnce({ distDir = '.next', reuse = true, env = {}, label = 'Building (npm run build) …' } = {}) {
  if (reuse && existsSync(path.join(distDir, 'BUILD_ID'))) return;
  console.log(label);
  const result = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
  });
  if (result.status !== 0) throw new Error('the build failed');
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Waits until `url` answers 2xx, or fails at `deadline` (epoch ms). */
export async function waitFor(url, deadline) {
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`${url} did not answer`);
}

/**
 * A PostgreSQL database of its own on the machine's server (dropped by `drop`), with Redis; or, for 'pglite', the
 * embedded database the server makes in its own directory.
 */
export async function benchDatabase(kind, { adminUrl, redisUrl, prefix = 'guidepost_bench' }) {
  if (kind !== 'postgres') return { name: 'PGlite (embedded)', drop: async () => undefined };
  const name = `${prefix}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const run = async (statement) => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(statement);
    } finally {
      await admin.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { name: 'PostgreSQL + Redis', url: url.toString(), redis: redisUrl, dbName: name, drop: () => run(`drop database if exists ${name} with (force)`) };
}

/**
 * Starts the production server (scripts/server.mjs) of the build in `GUIDEPOST_BENCH_BUILD`'s dist dir or .next, on
 * `database`, with fresh secrets and a temporary directory (its log and PGlite's data); resolves once it is healthy
 * and its login page answers, with the cold-start figures.
 */
export async function startServer(database, { benchBuild = false, logLevel = 'warn', nodeArgs = [], env = {} } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'guidepost-bench-'));
  const log = openSync(path.join(dir, 'server.log'), 'a');
  const began = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, 'scripts/server.mjs', '-p', String(port)], {
    // As `npm start` runs it (scripts/server-env.mjs).
    env: {
      ...serverEnv(),
      ...(benchBuild ? { GUIDEPOST_BENCH_BUILD: '1' } : {}),
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(port),
      APP_URL: `http://127.0.0.1:${port}`,
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: logLevel,
      PGLITE_DIR: path.join(dir, 'pglite'),
      DATABASE_URL: database.url ?? '',
      REDIS_URL: database.redis ?? '',
      ...env,
    },
    stdio: ['ignore', log, log],
  });
  const baseURL = `http://127.0.0.1:${port}`;
  await waitFor(`${baseURL}/api/health`, Date.now() + 90_000);
  const healthy = performance.now() - began;
  await waitFor(`${baseURL}/login`, Date.now() + 30_000);
  const firstPage = performance.now() - began;
  return {
    baseURL,
    pid: child.pid,
    coldStart: { healthy, firstPage },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const CONFIRMATION_LINK = /https?:\/\/[^\s<"]+\/verify-email#[A-Za-z0-9_-]{43}/;

/**
 * Signs `email` up on `page` (a Playwright page whose context has the server as baseURL, in English), confirms the
 * address through the link in the development mailbox, and logs in: the page ends on the dashboard.
 */
export async function signUpAndLogIn(page, email, password) {
  await page.goto('/signup');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByText(`Check your email: we sent a message to ${email}.`).waitFor();
  let link;
  for (let attempt = 0; attempt < 100 && !link; attempt++) {
    const html = await (await page.request.get('/sandbox/mailbox')).text();
    const article = html.split('<article>').find((part) => part.includes(email) && CONFIRMATION_LINK.test(part));
    link = article ? CONFIRMATION_LINK.exec(article)?.[0] : undefined;
    if (!link) await page.waitForTimeout(100);
  }
  if (!link) throw new Error(`no confirmation link for ${email}`);
  await page.goto(link);
  await page.getByRole('button', { name: 'Confirm my email address' }).click();
  await page.getByText('Your email address is confirmed. Log in to continue.').waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
}

/** The context's cookies as one Cookie header. */
export async function cookieHeader(context) {
  return (await context.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}
