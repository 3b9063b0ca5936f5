// `npm run bench:transactions`: an account's transactions page with 10,000 transactions, on PostgreSQL + Redis
// (issue #13: a page at p99 under 100 ms). Builds the benchmark copy (.next-bench, as `npm run bench`), starts the
// production server on a PostgreSQL database of its own, signs a user up and runs the account-information onboarding
// through the UI (Debian's Chromium), lets the accounts page read the sandbox bank (about 600 transactions on the
// current account), then adds transactions straight into that account's table up to 10,000 (what years of a busy
// account hold). Each target is driven with autocannon (BENCH_CONNECTIONS, default 1: one reader after another, so p99
// is the page's own time; the server renders on one core, so more connections only add a queue in front of it), next
// to the signed-in empty portal page of the same run: the ratio says what the transactions cost on top of the portal
// itself. Figures are printed, never asserted.
//
// Options (environment): BENCH_SECONDS (per target, default 10), BENCH_CONNECTIONS (1), BENCH_SKIP_BUILD=1 (reuse
// .next-bench), BENCH_POSTGRES_URL (admin URL, default the machine's), BENCH_TRANSACTIONS (10000), BENCH_NODE_ARGS (the
// server's Node options, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
import { randomBytes, randomUUID } from 'node:crypto';
import { chromium } from '@playwright/test';
import autocannon from 'autocannon';
import pg from 'pg';
import { benchDatabase, buildOnce, cookieHeader, signUpAndLogIn, startServer } from './kit.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 1);
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOTAL = Number(process.env.BENCH_TRANSACTIONS ?? 10_000);
const PASSWORD = 'copper-harbor-lantern-58';
const TARGET_P99_MS = 100;

/** Signs up, connects the sandbox bank, opens the accounts page (the first read) and returns the cookie and the current account's path. */
async function userWithBank(baseURL) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  try {
    const context = await browser.newContext({ baseURL, locale: 'en-US' });
    const page = await context.newPage();
    await signUpAndLogIn(page, `bench-${randomUUID()}@example.com`, PASSWORD);
    await page.goto('/onboarding');
    await page.getByRole('button', { name: 'Start Account information (sandbox bank)' }).click();
    await page.getByLabel('I consent to Guidepost receiving my account information').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Onboarding complete' }).waitFor();
    await page.goto('/accounts');
    const link = page.getByRole('link', { name: 'Current account transactions' });
    const href = await link.getAttribute('href');
    return { cookie: await cookieHeader(context), accountPath: href };
  } finally {
    await browser.close();
  }
}

const WORDS = ['PRLV SEPA', 'VIR SEPA RECU', 'CB', 'VIR SEPA EMIS', 'RETRAIT DAB', 'COMMISSION'];
const NAMES = ['URSSAF', 'EDF', 'ORANGE', 'SARL DUPONT ET FILS', 'METRO FRANCE', 'CARREFOUR', 'SNCF', 'DGFIP TVA', 'AXA FRANCE IARD'];

/** Fills the account up to `total` transactions, spread over the five years before its oldest one. */
async function fill(url, accountRowId, total) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const {
      rows: [{ count, oldest, user_id: userId }],
    } = await client.query(
      'select count(*)::int as count, min(booked_at) as oldest, min(user_id::text) as user_id from bank_transactions where account_row_id = $1',
      [accountRowId],
    );
    const missing = total - count;
    const start = new Date(oldest).getTime();
    for (let done = 0; done < missing; done += 1000) {
      const values = [];
      const params = [];
      for (let index = done; index < Math.min(missing, done + 1000); index++) {
        const label = `${WORDS[index % WORDS.length]} ${NAMES[(index * 7) % NAMES.length]} ${randomBytes(3).toString('hex').toUpperCase()}`;
        const cents = ((index * 7919) % 500_000) + 100;
        const amount = `${index % 3 === 0 ? '' : '-'}${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
        const booked = new Date(start - (index + 1) * ((5 * 365 * 24 * 3600 * 1000) / missing));
        const base = params.length;
        params.push(userId, accountRowId, `bench-${randomUUID()}`, booked, booked, amount, 'EUR', label, label.toLowerCase(), 'booked');
        values.push(`(${Array.from({ length: 10 }, (_, column) => `$${base + column + 1}`).join(', ')})`);
      }
      await client.query(
        `insert into bank_transactions (user_id, account_row_id, utx_id, stored_at, booked_at, amount, currency, label, search_text, status) values ${values.join(', ')}`,
        params,
      );
    }
    await client.query('analyze bank_transactions');
    const after = await client.query('select count(*)::int as count from bank_transactions where account_row_id = $1', [accountRowId]);
    return after.rows[0].count;
  } finally {
    await client.end();
  }
}

async function load(baseURL, path, cookie) {
  const result = await autocannon({
    url: `${baseURL}${path}`,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: { cookie, accept: 'text/html', 'accept-language': 'en' },
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

const pad = (text, width) => String(text).padEnd(width);
const num = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '—');

buildOnce({
  distDir: '.next-bench',
  reuse: process.env.BENCH_SKIP_BUILD === '1',
  env: { GUIDEPOST_BENCH_BUILD: '1' },
  label: 'Building the benchmark copy into .next-bench …',
});
const database = await benchDatabase('postgres', { adminUrl: POSTGRES_URL, redisUrl: REDIS_URL });
try {
  const server = await startServer(database, { benchBuild: true, nodeArgs: process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [] });
  try {
    const { cookie, accountPath } = await userWithBank(server.baseURL);
    const accountRowId = accountPath.split('/').at(-1);
    const held = await fill(database.url, accountRowId, TOTAL);
    const pages = Math.ceil(held / 50);
    const year = new Date().getUTCFullYear() - 2;
    const targets = [
      { name: 'portal layout, empty page (baseline)', path: '/bench-portal', baseline: true },
      { name: 'transactions: first page', path: accountPath },
      { name: `transactions: page ${Math.floor(pages / 2)} of ${pages}`, path: `${accountPath}?page=${Math.floor(pages / 2)}` },
      { name: `transactions: last page (${pages})`, path: `${accountPath}?page=${pages}` },
      { name: 'transactions: search "urssaf"', path: `${accountPath}?q=urssaf` },
      { name: `transactions: search, page 5`, path: `${accountPath}?q=urssaf&page=5` },
      { name: `transactions: year ${year}`, path: `${accountPath}?from=${year}-01-01&to=${year}-12-31` },
      { name: 'accounts page', path: '/accounts' },
      { name: `CSV export of all ${held}`, path: `/api${accountPath}/transactions?decimal=comma` },
    ];
    // Warm every target (caches, pools, prepared statements).
    for (const target of targets) await load(server.baseURL, target.path, cookie);
    console.log(`\n== PostgreSQL + Redis: the current account holds ${held} transactions; ${CONNECTIONS} connections, ${SECONDS} s per target`);
    console.log(
      `${pad('target', 44)}${pad('req/s', 9)}${pad('p50 ms', 8)}${pad('p99 ms', 8)}${pad('max ms', 8)}${pad('× baseline', 12)}${pad(`p99 < ${TARGET_P99_MS} ms`, 14)}non-2xx`,
    );
    let baseline;
    for (const target of targets) {
      const figures = await load(server.baseURL, target.path, cookie);
      if (target.baseline) baseline = figures;
      const ratio = target.baseline ? 'baseline' : `${(figures.rps / baseline.rps).toFixed(2)}×`;
      const met = target.baseline ? '' : figures.p99 < TARGET_P99_MS ? 'yes' : 'NO';
      console.log(
        `${pad(target.name, 44)}${pad(num(figures.rps), 9)}${pad(num(figures.p50), 8)}${pad(num(figures.p99), 8)}${pad(num(figures.max), 8)}${pad(ratio, 12)}${pad(met, 14)}${figures.bad}${figures.why ? ` (${figures.why})` : ''}`,
      );
    }
  } finally {
    await server.stop();
  }
} finally {
  await database.drop();
}
