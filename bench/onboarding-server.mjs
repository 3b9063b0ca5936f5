// npm run bench:onboarding (part 2 of 2) — against the production server: a 10 MB upload through the
// portal next to the sandbox alone, and the server's peak memory during 10 concurrent 10 MB uploads, of
// JPEGs (decoded and re-encoded by sharp) and of PDFs (checked, no decoding), each kind on a fresh server.
// The peak is also given as a ratio to the bytes in flight (the ten files' sizes): the sandbox answers
// in the same process, so each file is held on both sides of the call.
// BENCH_PORT (default 3300) chooses the port, BENCH_FILES (default jpeg,pdf) the kinds of file, and
// BENCH_SERVER_ENV adds variables to the server's environment, space-separated NAME=value pairs (e.g.
// "MALLOC_ARENA_MAX=2" or "LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2" to compare allocators).
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import sharp from 'sharp';
import { serverEnv } from '../scripts/server-env.mjs';
import { cookieHeader, signUpAndLogIn } from './kit.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 3300);
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

// A PDF just under 10 MB with nothing active: one scanned page (a JPEG of noise as its image), which
// the server checks but never decodes.
function pdfFromObjects(objects) {
  let body = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
const SCAN = JPEG.subarray(0, 9_990_000);
const CONTENT = 'q 595 0 0 842 0 0 cm /Im0 Do Q';
const PDF = pdfFromObjects([
  '<< /Type /Catalog /Pages 2 0 R >>',
  '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>',
  `<< /Type /XObject /Subtype /Image /Width ${JPEG_WIDTH} /Height ${JPEG_HEIGHT} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${SCAN.length} >>\nstream\n${SCAN.toString('latin1')}\nendstream`,
  `<< /Length ${CONTENT.length} >>\nstream\n${CONTENT}\nendstream`,
]);
if (PDF.length > 10_000_000) throw new Error(`the bench PDF is ${PDF.length} bytes, over the 10 MB limit`);

const FILES = {
  jpeg: { bytes: JPEG, type: 'image/jpeg', name: 'passport.jpg', label: 'JPEG' },
  pdf: { bytes: PDF, type: 'application/pdf', name: 'passport.pdf', label: 'PDF' },
};
const ip = () => `198.18.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
const rss = (pid, field = 'VmRSS') =>
  Number(
    /(\d+) kB/.exec(
      readFileSync(`/proc/${pid}/status`, 'utf8')
        .split('\n')
        .find((l) => l.startsWith(field)) ?? '',
    )?.[1] ?? 0,
  ) / 1024;

const SERVER_ENV = Object.fromEntries(
  (process.env.BENCH_SERVER_ENV ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`BENCH_SERVER_ENV: ${pair} is not NAME=value`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
);

const MiB = 1024 * 1024;
const CONCURRENT = 10;

function startServer() {
  const server = spawn(process.execPath, ['scripts/server.mjs', '-p', String(PORT)], {
    // As `npm start` runs it (scripts/server-env.mjs), unless BENCH_SERVER_ENV says otherwise.
    env: {
      ...serverEnv(),
      PORT: String(PORT),
      APP_URL: BASE,
      PGLITE_DIR: path.join(mkdtempSync(path.join(tmpdir(), 'guidepost-bench-')), 'pglite'),
      DATABASE_URL: '',
      REDIS_URL: '',
      LOG_LEVEL: 'warn',
      // Each user plays a visitor with an address of its own (X-Forwarded-For), as behind a load balancer:
      // sign-ups from one address are rate-limited.
      TRUSTED_PROXY_HOPS: '1',
      NEXT_TELEMETRY_DISABLED: '1',
      ...SERVER_ENV,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = () => server.kill('SIGTERM');
  process.on('exit', stop);
  const stopped = new Promise((resolve) => server.once('exit', resolve));
  return {
    pid: server.pid,
    async stop() {
      stop();
      await stopped;
      process.off('exit', stop);
    },
  };
}

async function waitForHealth() {
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
}

/** `count` users at the identity-document step, made through the real UI. */
async function usersAtDocumentStep(count) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const users = [];
  for (let i = 0; i < count; i++) {
    const forwardedFor = ip();
    const context = await browser.newContext({ baseURL: BASE, extraHTTPHeaders: { 'X-Forwarded-For': forwardedFor } });
    const page = await context.newPage();
    await signUpAndLogIn(page, `bench-${randomUUID()}@example.com`, PASSWORD);
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
    const cookie = await cookieHeader(context);
    users.push({ id: new URL(page.url()).pathname.split('/').pop(), cookie, forwardedFor });
    await context.close();
  }
  await browser.close();
  return users;
}

const upload = (user, file) => {
  const form = new FormData();
  form.set('documentType', 'passport');
  form.set('file', new Blob([file.bytes], { type: file.type }), file.name);
  const start = performance.now();
  return fetch(`${BASE}/api/onboarding/${user.id}/steps/2`, {
    method: 'POST',
    headers: { cookie: user.cookie, 'X-Forwarded-For': user.forwardedFor },
    body: form,
  }).then(async (r) => {
    const text = await r.text();
    if (r.status !== 200) throw new Error(`upload answered ${r.status}: ${text}`);
    return performance.now() - start;
  });
};

const sandboxAlone = async (file) => {
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
  form.set('file', new Blob([file.bytes], { type: file.type }), file.name);
  const start = performance.now();
  const response = await fetch(`${BASE}/sandbox/finqware/v1/steps/${stepId}/upload`, { method: 'POST', body: form });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`sandbox upload answered ${response.status}`);
  return performance.now() - start;
};

/** One kind of file on a fresh server: one upload alone, then ten at once with the server's RSS sampled every 20 ms. */
async function measure(file) {
  const server = startServer();
  try {
    await waitForHealth();
    const users = await usersAtDocumentStep(CONCURRENT + 1);
    const alone = [];
    for (let i = 0; i < 3; i++) alone.push(await sandboxAlone(file));
    const single = await upload(users[0], file);
    // Let the warm-up's garbage go before the baseline is read.
    await new Promise((r) => setTimeout(r, 2_000));

    const baseline = rss(server.pid);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rss(server.pid))), 20);
    const concurrentStart = performance.now();
    const times = await Promise.all(users.slice(1).map((user) => upload(user, file)));
    const wall = performance.now() - concurrentStart;
    clearInterval(sampler);
    peak = Math.max(peak, rss(server.pid));
    const inFlightMiB = (CONCURRENT * file.bytes.length) / MiB;
    return { single, alone: Math.min(...alone), wall, slowest: Math.max(...times), baseline, peak, growth: peak - baseline, inFlightMiB };
  } finally {
    await server.stop();
  }
}

const { LD_PRELOAD: allocator, GLIBC_TUNABLES: tunables } = { ...serverEnv(), ...SERVER_ENV };
console.log(
  `[onboarding bench: server allocator ${allocator ? `LD_PRELOAD=${allocator}` : "glibc's malloc"}${tunables ? `, GLIBC_TUNABLES=${tunables}` : ''}${process.env.BENCH_SERVER_ENV ? `, ${process.env.BENCH_SERVER_ENV}` : ''}]`,
);
const fmt = (ms) => `${ms.toFixed(0)} ms`;
const kinds = (process.env.BENCH_FILES ?? 'jpeg,pdf').split(',').map((kind) => kind.trim());
const results = {};
for (const kind of kinds) {
  const file = FILES[kind];
  if (!file) throw new Error(`BENCH_FILES: unknown kind ${kind} (jpeg, pdf)`);
  const result = (results[kind] = await measure(file));
  const size = `${(file.bytes.length / 1e6).toFixed(1)} MB`;
  console.log(`\n[onboarding bench: production server, embedded sandbox, ${size} ${file.label}s]`);
  console.log(`${`${size} ${file.label} upload through the portal (route → checks → sanitising → Finqware)`.padEnd(80)} ${fmt(result.single)}`);
  console.log(`${`${size} ${file.label} upload to the sandbox alone (best of 3)`.padEnd(80)} ${fmt(result.alone)}`);
  console.log(`${`${CONCURRENT} concurrent ${file.label} uploads: all done in`.padEnd(80)} ${fmt(result.wall)} (slowest ${fmt(result.slowest)})`);
  console.log(
    `${'server RSS before / peak during the concurrent uploads'.padEnd(80)} ${result.baseline.toFixed(0)} MiB / ${result.peak.toFixed(0)} MiB (+${result.growth.toFixed(0)} MiB)`,
  );
  console.log(
    `${`peak RSS growth / bytes in flight (${CONCURRENT} × ${size} = ${result.inFlightMiB.toFixed(0)} MiB)`.padEnd(80)} ${(result.growth / result.inFlightMiB).toFixed(2)}×`,
  );
}
if (results.jpeg && results.pdf) {
  // The same bytes travel the same way; what JPEGs add over PDFs is sharp's decoding and re-encoding.
  const decoding = Math.max(0, results.jpeg.growth - results.pdf.growth);
  console.log(
    `\n${'share of the JPEG peak growth due to image decoding (JPEG − PDF growth)'.padEnd(80)} ${decoding.toFixed(0)} MiB of ${results.jpeg.growth.toFixed(0)} MiB (${((100 * decoding) / results.jpeg.growth).toFixed(0)} %)`,
  );
}
