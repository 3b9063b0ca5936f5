import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@/test/databases';
import type { BusSignal, EventBus } from './bus';
import { createMemoryBus } from './memory-bus';
import { createPostgresBus } from './postgres-bus';
import { createRedisBus, redisChannel } from './redis-bus';

// The bus on each backend the portal runs on: in the process (PGlite), PostgreSQL LISTEN/NOTIFY (when DATABASE_URL is
// set), Redis pub/sub (when REDIS_URL is set). Two buses on one backend stand for two instances.

interface Backend {
  /** A bus as one more instance would open it. */
  open(): EventBus;
  /** Cuts this bus's subscriber connection, as a Redis or PostgreSQL restart would. */
  cut?(bus: EventBus): Promise<void>;
  shared: boolean;
  dispose(): Promise<void>;
}

const USER_A = randomUUID();
const USER_B = randomUUID();

function memoryBackend(): Backend {
  const bus = createMemoryBus();
  return { open: () => bus, shared: false, dispose: async () => undefined };
}

async function postgresBackend(): Promise<Backend> {
  const database: TestDatabase & { drop: () => Promise<void> } = await createTestDatabase('postgres');
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${database.name}`;
  const clients = new Map<EventBus, pg.Client[]>();
  const buses: EventBus[] = [];
  return {
    shared: true,
    open() {
      const opened: pg.Client[] = [];
      const bus = createPostgresBus({
        connect: () => {
          const client = new pg.Client({ connectionString: url.toString(), application_name: 'guidepost-bus-test' });
          opened.push(client);
          return client;
        },
        notify: async (channel, payload) => {
          await database.db.execute(sql`select pg_notify(${channel}, ${payload})`);
        },
      });
      clients.set(bus, opened);
      buses.push(bus);
      return bus;
    },
    async cut(bus) {
      const client = clients.get(bus)!.at(-1)!;
      const pid = (client as unknown as { processID: number }).processID;
      await database.db.execute(sql`select pg_terminate_backend(${pid})`);
    },
    async dispose() {
      for (const bus of buses) await bus.close();
      await database.drop();
    },
  };
}

function redisBackend(): Backend {
  const url = process.env.REDIS_URL!;
  // A channel of this run's own: pub/sub ignores the database number, and other runs share the server.
  const channel = `${redisChannel(url)}:test:${randomUUID()}`;
  const publisher = new Redis(url, { maxRetriesPerRequest: 2 });
  const subscribers = new Map<EventBus, Redis>();
  return {
    shared: true,
    open() {
      const subscriber = new Redis(url, { maxRetriesPerRequest: null });
      const bus = createRedisBus({ publisher, subscriber, channel });
      subscribers.set(bus, subscriber);
      return bus;
    },
    async cut(bus) {
      // Dropped and reconnected by ioredis, as after a Redis restart.
      subscribers.get(bus)!.disconnect(true);
    },
    async dispose() {
      for (const bus of subscribers.keys()) await bus.close();
      await publisher.quit();
    },
  };
}

const backends: Array<[string, () => Promise<Backend> | Backend]> = [
  ['memory', memoryBackend],
  ...(process.env.DATABASE_URL ? [['postgres', postgresBackend] as [string, () => Promise<Backend>]] : []),
  ...(process.env.REDIS_URL ? [['redis', redisBackend] as [string, () => Backend]] : []),
];

/** What a listener heard, to wait on. */
function recorder() {
  const heard: BusSignal[] = [];
  return { heard, listener: (signal: BusSignal) => void heard.push(signal) };
}

describe.each(backends)('event bus on %s', (_kind, make) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await make();
  });
  afterAll(async () => {
    await backend?.dispose();
  });

  it('brings a message to the listeners of its user, on every instance, and to no one else', async () => {
    const one = backend.open();
    const two = backend.open();
    await Promise.all([one.ready(), two.ready()]);
    const a1 = recorder();
    const a2 = recorder();
    const b = recorder();
    const stops = [one.subscribe(USER_A, a1.listener), two.subscribe(USER_A, a2.listener), two.subscribe(USER_B, b.listener)];

    await one.publish({ topic: 'notifications', userId: USER_A });
    await vi.waitFor(() => expect(a2.heard).toEqual([{ topic: 'notifications', userId: USER_A }]), { timeout: 2_000 });
    await vi.waitFor(() => expect(a1.heard).toHaveLength(1));
    // Meanwhile nothing for B, then B's own message.
    await two.publish({ topic: 'sessions', userId: USER_B });
    await vi.waitFor(() => expect(b.heard).toEqual([{ topic: 'sessions', userId: USER_B }]), { timeout: 2_000 });
    expect(a1.heard).toHaveLength(1);
    expect(a2.heard).toHaveLength(1);

    for (const stop of stops) stop();
    expect(two.listeners()).toBe(0);
    await one.publish({ topic: 'notifications', userId: USER_A });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(a1.heard).toHaveLength(1);
    expect(a2.heard).toHaveLength(1);
  });

  it('delivers within a few milliseconds', async () => {
    const one = backend.open();
    const two = backend.open();
    await Promise.all([one.ready(), two.ready()]);
    const heard = new Promise<number>((resolve) => {
      const stop = two.subscribe(USER_A, () => {
        stop();
        resolve(performance.now());
      });
    });
    const sent = performance.now();
    await one.publish({ topic: 'notifications', userId: USER_A });
    expect((await heard) - sent).toBeLessThan(500);
  });

  it('tells its listeners to read again when its connection comes back (what was sent meanwhile is lost), then delivers as before', async (context) => {
    if (!backend.cut) return context.skip();
    const bus = backend.open();
    await bus.ready();
    const a = recorder();
    const stop = bus.subscribe(USER_A, a.listener);
    await backend.cut(bus);
    await vi.waitFor(() => expect(a.heard).toContainEqual({ topic: 'resync' }), { timeout: 10_000, interval: 100 });
    // Listening again: messages arrive as before.
    const other = backend.open();
    await other.publish({ topic: 'notifications', userId: USER_A });
    await vi.waitFor(() => expect(a.heard).toContainEqual({ topic: 'notifications', userId: USER_A }), { timeout: 5_000 });
    stop();
  });
});

describe('event bus messages', () => {
  afterEach(() => vi.resetModules());

  it('carries ids only, and ignores what is not one of ours', async () => {
    const { decodeMessage, encodeMessage } = await import('./messages');
    expect(JSON.parse(encodeMessage({ topic: 'notifications', userId: USER_A, sentence: 'New guidance' } as never))).toEqual({
      topic: 'notifications',
      userId: USER_A,
    });
    expect(decodeMessage('not json')).toBeUndefined();
    expect(decodeMessage(JSON.stringify({ topic: 'notifications', userId: 'a b' }))).toBeUndefined();
    expect(decodeMessage(JSON.stringify({ topic: 'other', userId: USER_A }))).toBeUndefined();
    expect(decodeMessage(JSON.stringify({ topic: 'sessions', userId: USER_A }))).toEqual({ topic: 'sessions', userId: USER_A });
  });

  it('is one bus per process however many copies of lib/ the build made: what one copy publishes, another hears', async () => {
    const worker = await import('./process-bus');
    // The in-process bus, made by the copy that ran first (here the worker's): the others find it on globalThis.
    worker.setEventBusForTests(createMemoryBus());
    vi.resetModules();
    const route = await import('./process-bus');
    expect(route).not.toBe(worker);
    const heard = recorder();
    const stop = await route.subscribeToUser(USER_A, heard.listener);
    await worker.publishEvent({ topic: 'notifications', userId: USER_A });
    await vi.waitFor(() => expect(heard.heard).toEqual([{ topic: 'notifications', userId: USER_A }]), { timeout: 2_000 });
    stop();
    await route.closeEventBus();
  });
});
