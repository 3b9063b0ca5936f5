import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import autocannon from 'autocannon';
import { chromium } from '@playwright/test';
import { benchDatabase, cookieHeader, signUpAndLogIn, startServer } from './kit.mjs';
const kind = process.env.KIND ?? 'postgres';
const database = await benchDatabase(kind, { adminUrl: 'postgres://postgres@127.0.0.1:5432/test', redisUrl: 'redis://127.0.0.1:6379' });
const server = await startServer(database, { benchBuild: true, nodeArgs: process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [] });
const ticks = () => {
  const by = {};
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = /\((.*)\)/.exec(stat)[1];
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const t = Number(f[11]) + Number(f[12]);
      const key = name.startsWith('postgres')
        ? 'postgres'
        : name.startsWith('redis')
          ? 'redis'
          : name === 'next-server' || name.startsWith('node') || name.startsWith('MainThread')
            ? name
            : 'other';
      by[key] = (by[key] ?? 0) + t;
    } catch {}
  }
  return by;
};
try {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  const context = await browser.newContext({ baseURL: server.baseURL, locale: 'en-US' });
  await signUpAndLogIn(await context.newPage(), `q-${randomUUID()}@example.com`, 'copper-harbor-lantern-58');
  const cookie = await cookieHeader(context);
  await browser.close();
  for (const path of (process.env.PATHS ?? '/bench/dynamic,/,/bench/dynamic,/').split(',')) {
    await autocannon({ url: server.baseURL + path, connections: 50, duration: Number(process.env.WARM ?? 2), headers: { cookie, 'accept-language': 'en' } });
    const t0 = ticks();
    const r = await autocannon({
      url: server.baseURL + path,
      connections: 50,
      duration: 8,
      ...(process.env.AMOUNT ? { amount: Number(process.env.AMOUNT), duration: undefined } : {}),
      headers: { cookie, 'accept-language': 'en' },
    });
    const t1 = ticks();
    const cpu = Object.fromEntries(
      Object.keys(t1)
        .map((k) => [k, ((t1[k] - (t0[k] ?? 0)) / 8).toFixed(0) + '%'])
        .filter(([, v]) => v !== '0%'),
    );
    console.log(path, Math.round(r.requests.average), 'req/s', JSON.stringify(cpu));
  }
} finally {
  await server.stop();
  await database.drop();
}
