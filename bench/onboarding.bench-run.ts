import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setDatabaseForTests } from '@/lib/db/client';
import { users } from '@/lib/db/schema';
import { createFinqwareClient } from '@/lib/finqware/client';
import { clearCatalogCache, startOnboarding, submitFormStep, type OnboardingDeps } from '@/lib/onboarding/service';
import { createFinqwareSandbox } from '@/lib/sandbox/finqware';
import { createTestDatabase } from '@/test/databases';
import { serve } from './serve';
import { summary, timed } from './stats';

// npm run bench:onboarding (part 1 of 2) — a step submission through the portal's service next to the
// sandbox call alone. The sandbox is served over real HTTP on loopback, as in the running app.
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
  const [user] = await database.db.insert(users).values({ email: `bench-${randomBytes(4).toString('hex')}@example.com`, passwordHash: 'unused' }).returning();
  const portal: number[] = [];
  for (let i = 0; i < 200; i++) {
    const id = await startOnboarding(user!.id, CARD, deps);
    const [ms] = await timed(() => submitFormStep(user!.id, id, 0, PRODUCT, deps));
    portal.push(ms);
  }
  const alone: number[] = [];
  for (let i = 0; i < 200; i++) {
    const session = await post('/sessions', { tenant_user_id: user!.id, client_id: CREDENTIALS.clientId, client_app_key: CREDENTIALS.clientAppKey, skill: CARD });
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
