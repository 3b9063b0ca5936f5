// `npm run bench:sse`: what idle open tabs cost (issue #12: "a thousand idle connected tabs cost less than 50 MiB and no
// database work while nothing happens").
//
// Starts the production build (`npm run build` first; built here when missing) on the embedded PGlite and then on
// PostgreSQL + Redis (a database of its own, dropped after), signs a user up through the UI (Debian's Chromium) with a
// company profile and a guidance session (so Bridge's webhooks name them), then:
//   1. an idle minute with no stream open: the server's CPU time and, on PostgreSQL, its database's transactions
//      (pg_stat_database: the webhook and mail workers' polls and the maintenance sweeps, whatever the tabs do);
//   2. opens 1,000 streams (GET /api/events with the user's cookie, one connection each, as 1,000 browsers would) and
//      waits for each one's first list; the server's resident memory before, with them open (after the idle window
//      below: the opening's garbage collected) and after they closed;
//   3. the same idle minute with the 1,000 streams open: what they add is the difference;
//   4. one guidance-ready webhook: the time until each of the 1,000 streams has the notice (p50, p99, max).
// Figures are printed, never asserted.
//
// Options (environment): BENCH_SSE_STREAMS (1000), BENCH_IDLE_SECONDS (60), BENCH_DATABASES=pglite,postgres,
// BENCH_POSTGRES_URL (admin URL, default the machine's), BENCH_REDIS_URL (default redis://127.0.0.1:6379/12).
import { spawnSync } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { chromium } from '@playwright/test';
import pg from 'pg';
import { benchDatabase, buildOnce, cookieHeader, signUpAndLogIn, sleep, startServer } from './kit.mjs';

const STREAMS = Number(process.env.BENCH_SSE_STREAMS ?? 1000);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const DATABASES = (process.env.BENCH_DATABASES ?? 'pglite,postgres').split(',');
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/12';
const WEBHOOK_SECRET = 'sandbox-bridge-webhook-secret';
const BRIDGE_HEADERS = { 'Client-Id': 'sandbox-bridge-client-id', 'Client-Secret': 'sandbox-bridge-client-secret', 'Bridge-Version': '2025-01-15' };
const PASSWORD = 'copper-harbor-lantern-58';
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

const mib = (kib) => (kib / 1024).toFixed(1);

/** Resident memory (KiB) and CPU time (ms) of a process, from /proc. */
function usage(pid) {
  const rssKib = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are the 14th and 15th fields of the line; [1] above starts at the 3rd.
  const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  return { rssKib, cpuMs };
}

/** A user with a company profile and a linked Bridge user; their cookie and Bridge user's id. */
async function signedInUser(baseURL) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  try {
    const context = await browser.newContext({ baseURL, locale: 'en-US' });
    const page = await context.newPage();
    await signUpAndLogIn(page, `bench-${randomUUID()}@example.com`, PASSWORD);
    await page.goto('/settings/company');
    await page.getByLabel('Company name').fill('Acme Conseil');
    await page.getByRole('combobox', { name: 'Country' }).fill('Fran');
    await page.getByRole('option', { name: 'France', exact: true }).click();
    await page.getByLabel('Company identification number').fill('529196313');
    await page.getByLabel('Language', { exact: true }).selectOption('en');
    await page.getByLabel('Contact email').fill('finance@example.com');
    await page.getByLabel('Contact phone number').fill('06 12 34 56 78');
    await page.getByRole('button', { name: 'Save company profile' }).click();
    await page.getByText('Company profile saved.').waitFor();
    await page.goto('/guidance');
    await page.getByRole('button', { name: 'Open my guidance' }).click();
    await page.getByLabel('One-time password').waitFor();
    const users = await (await fetch(`${baseURL}/sandbox/bridge/v3/aggregation/users`, { headers: BRIDGE_HEADERS })).json();
    const cookie = await cookieHeader(context);
    return { cookie, bridgeUserUuid: users.resources[0].uuid };
  } finally {
    await browser.close();
  }
}

/** One stream, as one browser holds it: its own connection; records when each list arrives. */
function openStream(baseURL, cookie) {
  return new Promise((resolve, reject) => {
    const stream = { lists: [], close: () => undefined };
    const call = request(`${baseURL}/api/events`, { agent: false, headers: { cookie, accept: 'text/event-stream' } }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`the stream answered ${response.statusCode}`));
      response.setEncoding('utf8');
      let buffer = '';
      response.on('data', (text) => {
        buffer += text;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (!block.startsWith('event: notifications')) continue;
          const count = JSON.parse(block.slice(block.indexOf('data: ') + 6)).notifications.length;
          stream.lists.push({ at: performance.now(), count });
          if (stream.lists.length === 1) resolve(stream);
        }
      });
      response.on('error', () => undefined);
    });
    call.on('error', reject);
    call.end();
    stream.close = () => call.destroy();
  });
}

async function transactions(database) {
  if (!database.dbName) return undefined;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query('select (xact_commit + xact_rollback)::int as n from pg_stat_database where datname = $1', [database.dbName]);
    return rows[0]?.n ?? 0;
  } finally {
    await admin.end();
  }
}

/** An idle window: the server's CPU time and its database's transactions over it. */
async function idleWindow(server, database) {
  const before = { ...usage(server.pid), xacts: await transactions(database) };
  await sleep(IDLE_SECONDS * 1000);
  const after = { ...usage(server.pid), xacts: await transactions(database) };
  return { cpuMs: after.cpuMs - before.cpuMs, xacts: before.xacts === undefined ? undefined : after.xacts - before.xacts, rssKib: after.rssKib };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function signedWebhook(baseURL, bridgeUserUuid) {
  const body = JSON.stringify({
    content: { company_identification_number: '529196313', user_id: bridgeUserUuid },
    timestamp: Date.now(),
    type: 'guidance.health.ready',
  });
  const signature = `v1=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex').toUpperCase()}`;
  const response = await fetch(`${baseURL}/api/webhooks/bridge`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'BridgeApi-Signature': signature },
    body,
  });
  if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
}

async function run(database) {
  console.log(`\n${database.name}: ${STREAMS} idle streams, ${IDLE_SECONDS} s windows`);
  const server = await startServer(database);
  try {
    const { cookie, bridgeUserUuid } = await signedInUser(server.baseURL);
    // Warm-up: the route's code compiled and its first allocations made, so what follows counts the streams alone.
    const warm = await Promise.all(Array.from({ length: 20 }, () => openStream(server.baseURL, cookie)));
    for (const stream of warm) stream.close();
    await sleep(5_000);

    const quiet = await idleWindow(server, database);
    const rssBefore = usage(server.pid).rssKib;
    const opening = performance.now();
    const streams = [];
    // In batches, as tabs come: fifty at a time.
    for (let i = 0; i < STREAMS; i += 50)
      streams.push(...(await Promise.all(Array.from({ length: Math.min(50, STREAMS - i) }, () => openStream(server.baseURL, cookie)))));
    const openedMs = performance.now() - opening;
    // The opening's own work settles first: PostgreSQL counts a backend's transactions when it reports them (up to
    // 10 s later, or when the pool closes an idle connection, 10 s after its last query).
    await sleep(15_000);
    const rssOpen = usage(server.pid).rssKib;
    const loaded = await idleWindow(server, database);

    const sent = performance.now();
    await signedWebhook(server.baseURL, bridgeUserUuid);
    const deadline = Date.now() + 30_000;
    while (streams.some((stream) => !stream.lists.some((list) => list.count > 0)) && Date.now() < deadline) await sleep(20);
    const arrivals = streams
      .map((stream) => stream.lists.find((list) => list.count > 0)?.at)
      .filter((at) => at !== undefined)
      .map((at) => at - sent)
      .sort((x, y) => x - y);
    for (const stream of streams) stream.close();
    await sleep(15_000);
    const rssClosed = usage(server.pid).rssKib;

    const grown = loaded.rssKib - rssBefore;
    console.log(`  ${STREAMS} streams opened (each with its first list) in ${(openedMs / 1000).toFixed(1)} s`);
    console.log(
      `  resident memory: ${mib(rssBefore)} MiB before; with the streams open ${mib(rssOpen)} MiB, then ${mib(loaded.rssKib)} MiB at the end of the idle window: +${mib(grown)} MiB (${(grown / STREAMS).toFixed(1)} KiB per stream); ${mib(rssClosed)} MiB 15 s after they closed`,
    );
    const xacts = (window) => (window.xacts === undefined ? '' : `, ${window.xacts} database transactions`);
    console.log(`  idle window, no stream:        ${Math.round(quiet.cpuMs)} ms of CPU${xacts(quiet)} (the workers' polls and sweeps)`);
    console.log(`  idle window, ${STREAMS} streams:   ${Math.round(loaded.cpuMs)} ms of CPU${xacts(loaded)}`);
    if (quiet.xacts !== undefined) console.log(`  database work the streams added while idle: ${loaded.xacts - quiet.xacts} transactions`);
    console.log(
      arrivals.length === 0
        ? '  webhook → streams: no stream had the notice within 30 s'
        : `  webhook → notice on ${arrivals.length} of ${STREAMS} streams: p50 ${Math.round(percentile(arrivals, 50))} ms, p99 ${Math.round(percentile(arrivals, 99))} ms, max ${Math.round(arrivals.at(-1))} ms`,
    );
  } finally {
    await server.stop();
  }
}

buildOnce();
for (const kind of DATABASES) {
  const database = await benchDatabase(kind, { adminUrl: POSTGRES_URL, redisUrl: REDIS_URL, prefix: 'guidepost_bench_sse' });
  try {
    await run(database);
  } finally {
    await database.drop();
  }
}
