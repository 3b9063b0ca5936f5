import { randomUUID } from 'node:crypto';
import { execSync } from 'node:child_process';
import pg from 'pg';
import { chromium } from '@playwright/test';
import { benchDatabase, cookieHeader, signUpAndLogIn, startServer } from './kit.mjs';
const database = await benchDatabase('postgres', { adminUrl: 'postgres://postgres@127.0.0.1:5432/test', redisUrl: 'redis://127.0.0.1:6379' });
const server = await startServer(database, { benchBuild: true, nodeArgs: ['--require', '/tmp/exp/count.cjs'] });
const { readFileSync } = await import('node:fs');
const counts = () => JSON.parse(readFileSync('/tmp/exp/pgcounts.json', 'utf8'));
try {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  const context = await browser.newContext({ baseURL: server.baseURL, locale: 'en-US' });
  await signUpAndLogIn(await context.newPage(), `q-${randomUUID()}@example.com`, 'copper-harbor-lantern-58');
  const cookie = await cookieHeader(context);
  await browser.close();
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
  await admin.connect();
  const stats = async () =>
    (await admin.query('select xact_commit, tup_returned, tup_fetched, blks_hit from pg_stat_database where datname = $1', [database.dbName])).rows[0];
  const redisCalls = () =>
    Number(
      /calls=(\d+)/.exec(
        execSync('redis-cli info commandstats')
          .toString()
          .split('\n')
          .map((l) => l)
          .join('\n')
          .match(/calls=\d+/g)
          .reduce((a, b) => a + Number(b.slice(6)), 0)
          ? 'calls=' +
              execSync('redis-cli info commandstats')
                .toString()
                .match(/calls=\d+/g)
                .reduce((a, b) => a + Number(b.slice(6)), 0)
          : 'calls=0',
      )[1],
    );
  for (const path of ['/bench/dynamic', '/bench-portal', '/', '/guidance', '/onboarding', '/api/notifications']) {
    for (let i = 0; i < 3; i++) await fetch(server.baseURL + path, { headers: { cookie, 'accept-language': 'en' } }).then((r) => r.text());
    await admin.query('select pg_stat_clear_snapshot()');
    await new Promise((r) => setTimeout(r, 800));
    const before = await stats();
    const c0 = counts();
    const r0 = redisCalls();
    const N = 50;
    for (let i = 0; i < N; i++) {
      const res = await fetch(server.baseURL + path, { headers: { cookie, 'accept-language': 'en' } });
      await res.text();
      if (i === 0) console.log(path, res.status);
    }
    await new Promise((r) => setTimeout(r, 1000));
    await admin.query('select pg_stat_clear_snapshot()');
    const after = await stats();
    const c1 = counts();
    const diff = Object.entries(c1)
      .map(([k, v]) => [k, (v - (c0[k] || 0)) / N])
      .filter(([, v]) => v > 0);
    console.log(diff);
    const r1 = redisCalls();
    console.log(
      path,
      'xacts/req',
      ((after.xact_commit - before.xact_commit) / N).toFixed(2),
      'tup_returned/req',
      ((after.tup_returned - before.tup_returned) / N).toFixed(1),
      'fetched/req',
      ((after.tup_fetched - before.tup_fetched) / N).toFixed(1),
      'redis/req',
      ((r1 - r0) / N).toFixed(2),
    );
  }
  await admin.end();
} finally {
  await server.stop();
  await database.drop();
}
