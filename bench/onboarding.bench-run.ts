import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setDatabaseForTests } from '@/lib/db/client';
import { users } from '@/lib/db/schema';
import { createFinqwareClient } from '@/lib/finqware/client';
import { MAX_UPLOAD_BYTES } from '@guidepost/provider-contracts/finqware';
import { sanitiseUpload } from '@/lib/onboarding/sanitise-upload';
import { abandonOnboarding, clearCatalogCache, startOnboarding, submitFormStep, type OnboardingDeps } from '@/lib/onboarding/service';
import { createFinqwareSandbox } from '@guidepost/sandbox/finqware';
import { createTestDatabase } from '@/test/databases';
import { hugePng, pdfFromObjects } from '@guidepost/sandbox/testing/files';
import { serve } from './serve';
import { summary, timed } from './stats';

// npm run bench:onboarding (part 1 of 2) — a step submission through the portal's service next to the
// sandbox call alone, and the time to sanitise uploads. The sandbox is served over real HTTP on loopback,
// as in the running app.
const CREDENTIALS = { clientId: 'bench-client', clientAppKey: 'bench-app-key', clientSecret: 'bench-secret-0123456789abcdef' };
const CARD = 'xyz_card_sbx_#3.0';
const kind = process.env.DATABASE_URL ? 'postgres' : 'pglite';
const PRODUCT = { amount: '100000', currency: 'EUR', period: '12' };

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: Server;
let apiUrl: string;
let deps: OnboardingDeps;

beforeAll(async () => {
  database = await createTestDatabase(kind);
  setDatabaseForTests(database);
  const sandbox = createFinqwareSandbox(CREDENTIALS);
  ({ url: apiUrl, server } = await serve((request) => sandbox.handle(request)));
  clearCatalogCache();
  deps = { finqware: createFinqwareClient({ apiUrl, ...CREDENTIALS }), now: () => new Date() };
});

afterAll(async () => {
  server.close();
  setDatabaseForTests(undefined);
  await database.drop();
});

const post = (path: string, body: unknown) =>
  fetch(`${apiUrl}/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as Record<string, string>,
  }));

it('a step submission through the portal, next to the sandbox call alone', async () => {
  const [user] = await database.db
    .insert(users)
    .values({ email: `bench-${randomBytes(4).toString('hex')}@example.com`, passwordHash: 'unused' })
    .returning();
  const portal: number[] = [];
  for (let i = 0; i < 200; i++) {
    const id = await startOnboarding(user!.id, CARD, deps);
    const [ms] = await timed(() => submitFormStep(user!.id, id, 0, PRODUCT, deps));
    portal.push(ms);
    // A user has at most 5 onboardings in progress.
    await abandonOnboarding(user!.id, id, deps);
  }
  const alone: number[] = [];
  for (let i = 0; i < 200; i++) {
    const session = await post('/sessions', {
      tenant_user_id: user!.id,
      client_id: CREDENTIALS.clientId,
      client_app_key: CREDENTIALS.clientAppKey,
      skill: CARD,
    });
    const [ms, answer] = await timed(() =>
      post(`/sessions/${session.body.session_id}/steps`, {
        client_id: CREDENTIALS.clientId,
        nonce: session.body.nonce,
        skill: CARD,
        step: 'product_form',
        data: { value: '100000', currency: 'EUR', period: '12' },
      }),
    );
    expect(answer.status).toBe(200);
    alone.push(ms);
  }
  console.log(`\n[onboarding bench on ${kind}]`);
  console.log(summary('step submission through the portal (service + DB + sealing)', portal));
  console.log(summary('POST /v1/sessions/{id}/steps on the sandbox alone', alone));
});

/** A JPEG just under 10 MB: 12 megapixels of noise (the worst case for size) at quality 90. */
async function tenMegabyteJpeg(): Promise<Buffer> {
  const [width, height] = [3950, 3000];
  const bytes = await sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
  expect(bytes.length).toBeLessThanOrEqual(MAX_UPLOAD_BYTES);
  return bytes;
}

it('sanitising uploads: a 10 MB JPEG, a 40-megapixel photo, a 10 MB PDF, and a 20000 × 20000 PNG refused', async () => {
  const cases: Array<[string, Buffer, string]> = [];
  const noisy = await tenMegabyteJpeg();
  cases.push([`re-encode a ${(noisy.length / 1e6).toFixed(1)} MB JPEG (12 MP of noise)`, noisy, 'image/jpeg']);
  const [width, height] = [8000, 5000];
  const gradient = Buffer.alloc(width * 3 * 64);
  for (let i = 0; i < gradient.length; i++) gradient[i] = (i * 7) % 256;
  const photo = await sharp(gradient, { raw: { width, height: 64, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .jpeg({ quality: 85 })
    .withExif({ IFD0: { Orientation: '6' } })
    .toBuffer();
  cases.push([`re-encode a 40 MP JPEG (${(photo.length / 1e6).toFixed(1)} MB, rotated by EXIF)`, photo, 'image/jpeg']);
  const scan = await sharp(randomBytes(3900 * 2900 * 3), { raw: { width: 3900, height: 2900, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
  const pdf = pdfFromObjects([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>',
    `<< /Type /XObject /Subtype /Image /Width 3900 /Height 2900 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${scan.length} >>\nstream\n${scan.toString('latin1')}\nendstream`,
    `<< /Length ${'q 595 0 0 842 0 0 cm /Im0 Do Q'.length} >>\nstream\nq 595 0 0 842 0 0 cm /Im0 Do Q\nendstream`,
  ]);
  cases.push([`check a ${(pdf.length / 1e6).toFixed(1)} MB PDF (one scanned page)`, pdf, 'application/pdf']);
  cases.push(['refuse a 20000 × 20000 PNG (header only)', hugePng(), 'image/png']);

  console.log('\n[upload sanitising, one at a time, 5 runs each]');
  for (const [label, bytes, type] of cases) {
    const samples: number[] = [];
    let outcome = '';
    for (let i = 0; i < 5; i++) {
      const [ms, result] = await timed(() => sanitiseUpload(bytes, type));
      samples.push(ms);
      outcome = result.ok ? `sent ${(result.file.bytes.byteLength / 1e6).toFixed(1)} MB` : 'refused';
    }
    console.log(`${summary(label, samples)}  ${outcome}`);
  }
});
