// `npm run bench`: how fast the real pages and routes serve next to bare baselines of the same build (issue #12).
//
// Builds the app into .next-bench with baseline routes that exist only there (app/**/*.bench.ts(x): a bare static
// page, a bare force-dynamic page, empty GET and POST route handlers), starts the production server on the embedded
// PGlite and then on PostgreSQL + Redis, signs a user up through the UI (Debian's Chromium), and drives each page
// and route with autocannon (50 connections, the user's session cookie). It prints requests per second and p50/p99
// for each, with its ratio to its baseline, the first-load JavaScript of each page (gzip) next to the bare page's
// (every page, those behind a flow too, without a server: bench/first-load.mjs),
// and the cold start. Figures are printed, never asserted: compare ratios within one run, not across machines.
//
// Options (environment): BENCH_SECONDS (per target, default 10), BENCH_CONNECTIONS (50), BENCH_SKIP_BUILD=1 (reuse
// .next-bench), BENCH_DATABASES=pglite,postgres (which runs), BENCH_POSTGRES_URL (admin URL, default the machine's),
// BENCH_ONLY (comma-separated parts of target names: only those, with the baselines), BENCH_NODE_ARGS (the server's
// Node options, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where the time goes).
import { spawn, spawnSync } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import autocannon from 'autocannon';
import pg from 'pg';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DATABASES = (process.env.BENCH_DATABASES ?? 'pglite,postgres').split(',');
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const WEBHOOK_SECRET = 'sandbox-bridge-webhook-secret';
const PASSWORD = 'copper-harbor-lantern-58';
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : undefined;
const chosen = (target) => target.baseline || !ONLY || ONLY.some((part) => target.name.includes(part));

const PAGES = [
  { name: 'bare static page', path: '/bench/static', baseline: true, anonymous: true },
  // The baseline carries no session: the root layout then resolves the language from the headers alone, so the
  // ratios show what the session, the layouts and the page's own work cost (the row below shows the session alone).
  { name: 'bare dynamic page', path: '/bench/dynamic', baseline: true, anonymous: true },
  { name: 'bare dynamic page, signed in', path: '/bench/dynamic', against: '/bench/dynamic' },
  { name: 'portal layout, empty page', path: '/bench-portal', against: '/bench/dynamic' },
  { name: 'dashboard /', path: '/', against: '/bench/dynamic' },
  { name: '/guidance', path: '/guidance', against: '/bench/dynamic' },
  { name: '/onboarding', path: '/onboarding', against: '/bench/dynamic' },
  { name: '/settings/company', path: '/settings/company', against: '/bench/dynamic' },
  { name: '/settings/account', path: '/settings/account', against: '/bench/dynamic' },
  { name: '/settings/security', path: '/settings/security', against: '/bench/dynamic' },
  { name: '/privacy', path: '/privacy', against: '/bench/dynamic' },
];
const ROUTES = [
  { name: 'empty GET route', path: '/api/bench/empty', baseline: true },
  { name: 'GET /api/notifications (the list, read once)', path: '/api/notifications', against: '/api/bench/empty' },
  { name: 'empty POST route', path: '/api/bench/empty', method: 'POST', baseline: true },
  { name: 'POST /api/webhooks/bridge (verified, stored)', path: '/api/webhooks/bridge', method: 'POST', webhook: true, against: 'POST /api/bench/empty' },
];

function build() {
  if (process.env.BENCH_SKIP_BUILD === '1' && existsSync('.next-bench/BUILD_ID')) return;
  console.log('Building the benchmark copy into .next-bench …');
  const result = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, GUIDEPOST_BENCH_BUILD: '1', NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error('the benchmark build failed');
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitFor(url, deadline) {
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not answer`);
}

/** Starts the production server of .next-bench; resolves with its address and cold-start figures. */
async function start(database) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'guidepost-bench-'));
  const env = {
    ...process.env,
    GUIDEPOST_BENCH_BUILD: '1',
    NEXT_TELEMETRY_DISABLED: '1',
    PORT: String(port),
    APP_URL: `http://127.0.0.1:${port}`,
    AUTH_SECRET: randomBytes(32).toString('base64url'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'info',
    PGLITE_DIR: path.join(dir, 'pglite'),
    DATABASE_URL: database.url ?? '',
    REDIS_URL: database.redis ?? '',
  };
  const log = openSync(path.join(dir, 'server.log'), 'a');
  const began = performance.now();
  const nodeArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
  const child = spawn(process.execPath, [...nodeArgs, 'scripts/server.mjs', '-p', String(port)], { env, stdio: ['ignore', log, log] });
  const baseURL = `http://127.0.0.1:${port}`;
  await waitFor(`${baseURL}/api/health`, Date.now() + 90_000);
  const healthy = performance.now() - began;
  await waitFor(`${baseURL}/login`, Date.now() + 30_000);
  const firstPage = performance.now() - began;
  return {
    baseURL,
    coldStart: { healthy, firstPage },
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs a user up through the UI (confirming through the development mailbox) and returns the session's cookies. */
async function signedInCookies(baseURL) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  try {
    const context = await browser.newContext({ baseURL, locale: 'en-US' });
    const page = await context.newPage();
    const email = `bench-${randomUUID()}@example.com`;
    await page.goto('/signup');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Check your email').waitFor();
    let link;
    for (let i = 0; i < 100 && !link; i++) {
      const html = await (await page.request.get('/sandbox/mailbox')).text();
      link = /https?:\/\/[^\s<"]+\/verify-email#[A-Za-z0-9_-]{43}/.exec(html.split('<article>').find((part) => part.includes(email)) ?? '')?.[0];
      if (!link) await page.waitForTimeout(100);
    }
    if (!link) throw new Error('no confirmation email');
    await page.goto(link);
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    return (await context.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  } finally {
    await browser.close();
  }
}

function signedWebhookBody() {
  const body = JSON.stringify({ content: { item_id: randomUUID(), user_uuid: randomUUID() }, timestamp: Date.now(), type: 'item.refreshed' });
  return { body, signature: `v1=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex').toUpperCase()}` };
}

async function load(baseURL, target, cookie, seconds = SECONDS) {
  const result = await autocannon({
    url: `${baseURL}${target.path}`,
    method: target.method ?? 'GET',
    connections: CONNECTIONS,
    duration: seconds,
    headers: { ...(target.anonymous ? {} : { cookie }), accept: 'text/html,application/json', 'accept-language': 'en' },
    ...(target.method === 'POST' && !target.webhook ? { body: '{}', headers: { cookie, 'content-type': 'application/json' } } : {}),
    ...(target.webhook
      ? {
          requests: [
            {
              setupRequest: (request) => {
                const { body, signature } = signedWebhookBody();
                return { ...request, body, headers: { ...request.headers, 'content-type': 'application/json', 'bridgeapi-signature': signature } };
              },
            },
          ],
        }
      : {}),
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, bad };
}

/** The first-load JavaScript of a page: every script it references, gzip-compressed, summed (KB). */
async function firstLoadKb(baseURL, pagePath, cookie) {
  const html = await (await fetch(`${baseURL}${pagePath}`, { headers: { cookie, 'accept-language': 'en' } })).text();
  const sources = [...new Set([...html.matchAll(/<script[^>]+src="([^"]+\.js[^"]*)"/g)].map((match) => match[1]))];
  let bytes = 0;
  for (const source of sources) bytes += gzipSync(Buffer.from(await (await fetch(new URL(source, baseURL))).arrayBuffer())).length;
  return bytes / 1024;
}

const pad = (text, width) => String(text).padEnd(width);
const num = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '—');

async function run(database) {
  const server = await start(database);
  try {
    const cookie = await signedInCookies(server.baseURL);
    // Warm every route for a second (nothing compiles in production, but caches and pools fill).
    const targets = [...PAGES, ...ROUTES].filter(chosen);
    for (const target of targets) await load(server.baseURL, target, cookie, 1).catch(() => undefined);
    const results = new Map();
    console.log(`\n== ${database.name}: ${CONNECTIONS} connections, ${SECONDS} s per target`);
    console.log(`cold start: healthy after ${num(server.coldStart.healthy)} ms, first page after ${num(server.coldStart.firstPage)} ms`);
    console.log(`${pad('target', 48)}${pad('req/s', 10)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('× baseline', 12)}non-2xx`);
    for (const target of targets) {
      const figures = await load(server.baseURL, target, cookie);
      const key = `${target.method ?? 'GET'} ${target.path}${target.anonymous ? '' : ' signed in'}`;
      if (target.baseline) results.set(target.method === 'POST' ? `POST ${target.path}` : target.path, figures);
      const base = target.against ? results.get(target.against) : undefined;
      const ratio = base ? `${(figures.rps / base.rps).toFixed(2)}×` : target.baseline ? 'baseline' : '';
      console.log(`${pad(target.name, 48)}${pad(num(figures.rps), 10)}${pad(num(figures.p50), 9)}${pad(num(figures.p99), 9)}${pad(ratio, 12)}${figures.bad}`);
      results.set(key, figures);
    }
    console.log('\nfirst-load JavaScript (gzip)');
    const bare = await firstLoadKb(server.baseURL, '/bench/dynamic', cookie);
    for (const target of PAGES.filter((page) => page.baseline || page.path !== '/bench/dynamic')) {
      const kb = await firstLoadKb(server.baseURL, target.path, cookie);
      console.log(
        `${pad(target.name, 48)}${pad(`${num(kb, 1)} KB`, 12)}${target.path === '/bench/dynamic' ? 'baseline' : `${kb - bare >= 0 ? '+' : ''}${num(kb - bare, 1)} KB`}`,
      );
    }
    console.log('every page, including those only a flow reaches: npm run bench:js -- .next-bench');
  } finally {
    await server.stop();
  }
}

async function postgresDatabase() {
  const name = `guidepost_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    name: 'PostgreSQL + Redis',
    url: url.toString(),
    redis: REDIS_URL,
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: POSTGRES_URL });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

build();
for (const kind of DATABASES) {
  const database = kind === 'postgres' ? await postgresDatabase() : { name: 'PGlite (embedded)', drop: async () => undefined };
  try {
    await run(database);
  } finally {
    await database.drop();
  }
}
