// npm run bench:onboarding (part 2 of 2) — against the production server: a 10 MB upload through the
// portal next to the sandbox alone, and the server's peak memory during 10 concurrent 10 MB uploads.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import sharp from 'sharp';

const PORT = 3300;
const BASE = `http://127.0.0.1:${PORT}`;
const FINQWARE = { client_id: 'sandbox-finqware-client-id', client_app_key: 'sandbox-finqware-client-app-key' };
const CARD = 'xyz_card_sbx_#3.0';
const PASSWORD = 'copper-harbor-lantern-58';

// A real JPEG just under 10 MB (the server decodes and re-encodes every image): 12 megapixels of noise,
// the worst case for size, made once.
const [JPEG_WIDTH, JPEG_HEIGHT] = [3950, 3000];
const JPEG = await sharp(randomBytes(JPEG_WIDTH * JPEG_HEIGHT * 3), { raw: { width: JPEG_WIDTH, height: JPEG_HEIGHT, channels: 3 } })
  .jpeg({ quality: 90 })
  .toBuffer();
if (JPEG.length > 10_000_000) throw new Error(`the bench JPEG is ${JPEG.length} bytes, over the 10 MB limit`);
const tenMegabyteJpeg = () => JPEG;
const ip = () => `198.18.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
const rss = (pid, field = 'VmRSS') =>
  Number(
    /(\d+) kB/.exec(
      readFileSync(`/proc/${pid}/status`, 'utf8')
        .split('\n')
        .find((l) => l.startsWith(field)) ?? '',
    )?.[1] ?? 0,
  ) / 1024;

const server = spawn(process.execPath, ['scripts/server.mjs', '-p', String(PORT)], {
  env: {
    ...process.env,
    PORT: String(PORT),
    APP_URL: BASE,
    PGLITE_DIR: path.join(mkdtempSync(path.join(tmpdir(), 'guidepost-bench-')), 'pglite'),
    DATABASE_URL: '',
    REDIS_URL: '',
    LOG_LEVEL: 'warn',
    NEXT_TELEMETRY_DISABLED: '1',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const stop = () => server.kill('SIGTERM');
process.on('exit', stop);

try {
  for (
    let i = 0;
    i < 240 &&
    !(await fetch(`${BASE}/api/health`).then(
      (r) => r.ok,
      () => false,
    ));
    i++
  )
    await new Promise((r) => setTimeout(r, 500));

  // Eleven users at the identity-document step, made through the real UI.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const users = [];
  for (let i = 0; i < 11; i++) {
    const forwardedFor = ip();
    const context = await browser.newContext({ baseURL: BASE, extraHTTPHeaders: { 'X-Forwarded-For': forwardedFor } });
    const page = await context.newPage();
    await page.goto('/signup');
    await page.getByLabel('Email').fill(`bench-${randomUUID()}@example.com`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { level: 1, name: 'Company profile' }).waitFor();
    await page.goto('/onboarding');
    await page.getByRole('button', { name: 'Start Business credit card' }).click();
    await page.getByText('Step 1 of 4').waitFor();
    await page.getByLabel('Amount').fill('100000');
    await page.getByLabel('Period (months)').fill('12');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('Step 2 of 4').waitFor();
    for (const [label, value] of [
      ['First name', 'Camille'],
      ['Last name', 'Martin'],
      ['Date of birth', '1985-04-23'],
      ['Street address', '1 rue X'],
      ['City', 'Paris'],
      ['Postal code', '75002'],
    ])
      await page.getByLabel(label).fill(value);
    await page.getByLabel('Nationality').selectOption('FR');
    await page.getByLabel('Country of residence').selectOption('FR');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('Step 3 of 4').waitFor();
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    users.push({ id: new URL(page.url()).pathname.split('/').pop(), cookie, forwardedFor });
    await context.close();
  }
  await browser.close();

  const upload = (user) => {
    const form = new FormData();
    form.set('documentType', 'passport');
    form.set('file', new Blob([tenMegabyteJpeg()], { type: 'image/jpeg' }), 'passport.jpg');
    const start = performance.now();
    return fetch(`${BASE}/api/onboarding/${user.id}/steps/2`, {
      method: 'POST',
      headers: { cookie: user.cookie, 'X-Forwarded-For': user.forwardedFor },
      body: form,
    }).then(async (r) => {
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`upload answered ${r.status}`);
      return performance.now() - start;
    });
  };

  const sandboxAlone = async () => {
    const post = (p, body) =>
      fetch(`${BASE}/sandbox/finqware/v1${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) =>
        r.json(),
      );
    const session = await post('/sessions', { tenant_user_id: 'bench', ...FINQWARE, skill: CARD });
    let nonce = session.nonce;
    const steps = [
      ['product_form', { value: '100000', currency: 'EUR', period: '12' }],
      [
        'personal_data',
        {
          first_name: 'C',
          last_name: 'M',
          date_of_birth: '1985-04-23',
          nationality: 'FR',
          address: { line1: '1 rue X', city: 'Paris', postal_code: '75002', country: 'FR' },
        },
      ],
      ['identity_document', { document_type: 'passport' }],
    ];
    let stepId;
    for (const [step, data] of steps) {
      const answer = await post(`/sessions/${session.session_id}/steps`, { client_id: FINQWARE.client_id, nonce, skill: CARD, step, data });
      nonce = answer.nonce;
      stepId = answer.step_id;
    }
    const form = new FormData();
    form.set('client_id', FINQWARE.client_id);
    form.set('nonce', nonce);
    form.set('skill', CARD);
    form.set('file', new Blob([tenMegabyteJpeg()], { type: 'image/jpeg' }), 'passport.jpg');
    const start = performance.now();
    const response = await fetch(`${BASE}/sandbox/finqware/v1/steps/${stepId}/upload`, { method: 'POST', body: form });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`sandbox upload answered ${response.status}`);
    return performance.now() - start;
  };

  const alone = [];
  for (let i = 0; i < 3; i++) alone.push(await sandboxAlone());
  const single = await upload(users[0]);

  const baseline = rss(server.pid);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, rss(server.pid))), 20);
  const concurrentStart = performance.now();
  const times = await Promise.all(users.slice(1).map(upload));
  const wall = performance.now() - concurrentStart;
  clearInterval(sampler);
  peak = Math.max(peak, rss(server.pid));

  const fmt = (ms) => `${ms.toFixed(0)} ms`;
  console.log('\n[onboarding bench: production server, embedded default]');
  console.log(`${'10 MB upload through the portal (route → checks → re-encoding → Finqware)'.padEnd(72)} ${fmt(single)}`);
  console.log(`${'10 MB upload to the sandbox alone (best of 3)'.padEnd(72)} ${fmt(Math.min(...alone))}`);
  console.log(`${'10 concurrent 10 MB uploads: all done in'.padEnd(72)} ${fmt(wall)} (slowest ${fmt(Math.max(...times))})`);
  console.log(
    `${'server RSS before / peak during the 10 concurrent uploads'.padEnd(72)} ${baseline.toFixed(0)} MiB / ${peak.toFixed(0)} MiB (+${(peak - baseline).toFixed(0)} MiB)`,
  );
} finally {
  stop();
}
