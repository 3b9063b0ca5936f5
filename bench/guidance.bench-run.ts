import { createHmac, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBridgeClient } from '@/lib/bridge/client';
import { createBridgeLink } from '@/lib/bridge-link/service';
import { saveCompanyProfile } from '@/lib/company/service';
import { setDatabaseForTests } from '@/lib/db/client';
import { bridgeUsers, users } from '@/lib/db/schema';
import { SANDBOX_DEFAULTS } from '@/lib/env';
import { openGuidance, revealPassword, type GuidanceDeps } from '@/lib/guidance/service';
import { receiveBridgeWebhook } from '@/lib/webhooks/bridge-receiver';
import { createBridgeSandbox, type BridgeSandbox } from '@guidepost/sandbox/bridge';
import { createMemorySecretStore } from '@/lib/secrets/memory-store';
import { createTestDatabase } from '@/test/databases';
import { serve } from './serve';
import { percentile, summary, timed } from './stats';

// npm run bench:guidance — prints figures; not a test of speed. Runs on PGlite, or on PostgreSQL when
// DATABASE_URL is set. The sandbox is served over real HTTP on loopback, as in the running app.
const CREDENTIALS = { clientId: 'bench-client', clientSecret: 'bench-secret-0123456789abcdef' };
const kind = process.env.DATABASE_URL ? 'postgres' : 'pglite';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let server: Server;
let sandbox: BridgeSandbox;
let apiUrl: string;
let deps: GuidanceDeps;

async function newUser(): Promise<string> {
  const [user] = await database.db
    .insert(users)
    .values({ email: `bench-${randomBytes(6).toString('hex')}@example.com`, passwordHash: 'unused' })
    .returning({ id: users.id });
  await saveCompanyProfile(user!.id, {
    companyName: 'Bench SAS',
    countryCode: 'FR',
    identificationNumber: '529196313',
    language: 'fr',
    contactEmail: 'bench@example.fr',
    contactPhone: null,
  });
  return user!.id;
}

beforeAll(async () => {
  database = await createTestDatabase(kind);
  setDatabaseForTests(database);
  sandbox = createBridgeSandbox({ ...CREDENTIALS, siteOrigin: 'http://127.0.0.1' });
  ({ url: apiUrl, server } = await serve((request) => sandbox.handle(request)));
  deps = {
    bridge: createBridgeLink(createBridgeClient({ apiUrl, ...CREDENTIALS, version: '2025-01-15' })),
    store: createMemorySecretStore({ key: randomBytes(32) }),
    now: () => new Date(),
  };
});

afterAll(async () => {
  server.close();
  setDatabaseForTests(undefined);
  await database.drop();
});

it('opening a guidance session: through the portal, next to the sandbox call alone', async () => {
  // A user may open 5 sessions per 10 minutes (GUIDANCE_OPEN_LIMIT): 50 users open 4 each after a warm-up.
  const people = await Promise.all(Array.from({ length: 50 }, () => newUser()));
  for (const person of people) await openGuidance(person, {}, deps); // warm-up: creates the Bridge user and caches its token
  const userId = people[0]!;
  const portal: number[] = [];
  for (let i = 0; i < 200; i++) {
    const [ms, outcome] = await timed(() => openGuidance(people[i % people.length]!, {}, deps));
    expect(outcome.ok).toBe(true);
    portal.push(ms);
  }
  const tokenResponse = await fetch(`${apiUrl}/v3/aggregation/authorization/token`, {
    method: 'POST',
    headers: {
      'Client-Id': CREDENTIALS.clientId,
      'Client-Secret': CREDENTIALS.clientSecret,
      'Bridge-Version': '2025-01-15',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ external_user_id: userId }),
  });
  const { access_token: token, user } = (await tokenResponse.json()) as { access_token: string; user: { uuid: string } };
  const alone: number[] = [];
  for (let i = 0; i < 200; i++) {
    const [ms, response] = await timed(() =>
      fetch(`${apiUrl}/v3/guidance/sessions`, {
        method: 'POST',
        headers: {
          'Client-Id': CREDENTIALS.clientId,
          'Client-Secret': CREDENTIALS.clientSecret,
          'Bridge-Version': '2025-01-15',
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({ user_uuid: user.uuid, country_code: 'FR', company_identification_number: '529196313' }),
      }).then(async (r) => (await r.arrayBuffer(), r.status)),
    );
    expect(response).toBe(200);
    alone.push(ms);
  }
  console.log(`\n[guidance bench on ${kind}]`);
  console.log(summary('open guidance through the portal (service + DB + store)', portal));
  console.log(summary('POST /v3/guidance/sessions on the sandbox alone', alone));
});

it('show-again at 100 concurrent users', async () => {
  const people = await Promise.all(Array.from({ length: 100 }, () => newUser()));
  const sessions = await Promise.all(
    people.map(async (userId) => {
      const outcome = await openGuidance(userId, {}, deps);
      if (!outcome.ok) throw new Error('open failed');
      return { userId, sessionId: outcome.session.id };
    }),
  );
  const samples: number[] = [];
  const start = performance.now();
  // Ten rounds: the per-user limit on show-again is ten per ten minutes.
  for (let round = 0; round < 10; round++) {
    const results = await Promise.all(sessions.map(({ userId, sessionId }) => timed(() => revealPassword(userId, sessionId, deps))));
    for (const [ms, outcome] of results) {
      expect(outcome.ok).toBe(true);
      samples.push(ms);
    }
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(summary('show again, 100 users at once (service + DB + store)', samples));
  console.log(`${'  throughput'.padEnd(58)} ${(samples.length / seconds).toFixed(0)} reveals/s`);
});

it('verified webhooks per second', async () => {
  const [user] = await database.db
    .insert(users)
    .values({ email: `hook-${randomBytes(4).toString('hex')}@example.com`, passwordHash: 'unused' })
    .returning();
  const bridgeUserUuid = crypto.randomUUID();
  await database.db.insert(bridgeUsers).values({ userId: user!.id, bridgeUserUuid });
  const secret = SANDBOX_DEFAULTS.BRIDGE_WEBHOOK_SECRET;
  const bodies = Array.from({ length: 2000 }, (_, i) =>
    JSON.stringify({
      content: { company_identification_number: '529196313', user_id: bridgeUserUuid },
      timestamp: Date.now() + i,
      type: 'guidance.health.ready',
    }),
  );
  const samples: number[] = [];
  const concurrency = 20;
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const signature = `v1=${createHmac('sha256', secret).update(body).digest('hex').toUpperCase()}`;
        const request = new Request('http://portal.test/api/webhooks/bridge', { method: 'POST', headers: { 'BridgeApi-Signature': signature }, body });
        const [ms, response] = await timed(() => receiveBridgeWebhook(request, () => undefined));
        expect(response.status).toBe(200);
        samples.push(ms);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  console.log(summary(`verified webhooks (verify + parse + store once), ${concurrency} at a time`, samples));
  console.log(`${'  throughput'.padEnd(58)} ${(samples.length / seconds).toFixed(0)} webhooks/s (p99 ${percentile(samples, 99).toFixed(2)} ms)`);
});

it('memory of 100,000 held passwords', async () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const store = createMemorySecretStore({ key: randomBytes(32), sweepIntervalMs: 0 });
  for (let i = 0; i < 100_000; i++) {
    await store.put({ userId: crypto.randomUUID(), sessionId: crypto.randomUUID() }, randomBytes(15).toString('base64'), 1800);
  }
  gc?.();
  const after = process.memoryUsage().heapUsed;
  expect(store.size()).toBe(100_000);
  const mib = (after - before) / 1024 / 1024;
  console.log(
    `${'100,000 held passwords (memory store, encrypted)'.padEnd(58)} ${mib.toFixed(1)} MiB heap (${((after - before) / 100_000).toFixed(0)} bytes each)${gc ? '' : ' (no gc: approximate)'}`,
  );
  store.close();
});
