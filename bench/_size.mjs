import { randomUUID } from 'node:crypto';
import { chromium } from '@playwright/test';
import { benchDatabase, cookieHeader, signUpAndLogIn, startServer } from './kit.mjs';
const database = await benchDatabase('pglite', {});
const server = await startServer(database, { benchBuild: true });
try {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
  const context = await browser.newContext({ baseURL: server.baseURL, locale: 'en-US' });
  await signUpAndLogIn(await context.newPage(), `q-${randomUUID()}@example.com`, 'copper-harbor-lantern-58');
  const cookie = await cookieHeader(context);
  await browser.close();
  for (const path of ['/bench/dynamic', '/bench-portal', '/', '/guidance', '/onboarding']) {
    const html = await (await fetch(server.baseURL + path, { headers: { cookie, 'accept-language': 'en' } })).text();
    const flight = [...html.matchAll(/self\.__next_f\.push\((.*?)\)<\/script>/gs)].map((m) => m[1]).join('');
    console.log(path, 'html', html.length, 'flight', flight.length);
    if (process.env.DUMP === path) (await import('node:fs')).writeFileSync('/tmp/exp/page.html', html);
  }
} finally {
  await server.stop();
}
