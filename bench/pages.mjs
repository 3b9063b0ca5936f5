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
import { createHmac, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import autocannon from 'autocannon';
import { benchDatabase, buildOnce, cookieHeader, signUpAndLogIn, startServer } from './kit.mjs';

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
  buildOnce({
    distDir: '.next-bench',
    reuse: process.env.BENCH_SKIP_BUILD === '1',
    env: { GUIDEPOST_BENCH_BUILD: '1' },
    label: 'Building the benchmark copy into .next-bench …',
  });
}

/** Starts the production server of .next-bench; resolves with its address and cold-start figures. */
function start(database) {
  const nodeArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
  return startServer(database, { benchBuild: true, logLevel: 'info', nodeArgs });
}

/** Signs a user up through the UI (confirming through the development mailbox) and returns the session's cookies. */
async function signedInCookies(baseURL) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  try {
    const context = await browser.newContext({ baseURL, locale: 'en-US' });
    await signUpAndLogIn(await context.newPage(), `bench-${randomUUID()}@example.com`, PASSWORD);
    return await cookieHeader(context);
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

build();
for (const kind of DATABASES) {
  const database = await benchDatabase(kind, { adminUrl: POSTGRES_URL, redisUrl: REDIS_URL });
  try {
    await run(database);
  } finally {
    await database.drop();
  }
}
