import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBridgeClient } from '@/lib/bridge/client';
import { createBridgeLink, type BridgeLink } from '@/lib/bridge-link/service';
import { BridgeError, isBridgeError } from '@/lib/bridge/errors';
import { clearTokenCache } from '@/lib/bridge/token-cache';
import { parseBridgeWebhook, type BridgeWebhookEvent } from '@/lib/bridge/webhook-events';
import { bridgeUsers, notifications, webhookEvents } from '@/lib/db/schema';
import { logger } from '@/lib/log';
import { createBridgeSandbox, type BridgeSandbox } from '@guidepost/sandbox/bridge';
import { bridgeRequest } from '@guidepost/sandbox/bridge/testing';
import { databaseKinds, insertUser, useTestDatabase } from '@/test/databases';
import { handleBridgeEvent } from './bridge-events';
import { claimDueEvent, dedupeKey, storeEvent } from './queue';
import { processAfterDelivery, processDueEvents, retryDelayMs, startWebhookWorker, type EventHandler, type WorkerSettings } from './worker';

const SETTINGS: WorkerSettings = { maxAttempts: 3, retryBaseMs: 1, leaseMs: 60_000, pollMs: 1000 };
const SIREN = '529196313';
const CREDENTIALS = { clientId: 'worker-test-client', clientSecret: 'worker-test-secret-0123456789' };
const HOUR_MS = 60 * 60 * 1000;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A guidance-ready envelope as Bridge sends it, unique per call unless a user is given. */
function readyEnvelope(bridgeUserUuid: string = randomUUID()) {
  return { content: { company_identification_number: SIREN, user_id: bridgeUserUuid }, timestamp: Date.now(), type: 'guidance.health.ready' };
}

type Envelope = ReturnType<typeof readyEnvelope>;

async function store(envelope: Envelope = readyEnvelope()) {
  const key = dedupeKey('bridge', envelope);
  const outcome = await storeEvent(key, { provider: 'bridge', type: envelope.type, payload: envelope, eventTimestamp: new Date(envelope.timestamp) });
  return { key, envelope, outcome, id: outcome.id };
}

/** Runs passes until one claims something; returns how long that took. Fails after `timeoutMs`. */
async function passUntilClaimed(pass: () => Promise<number>, timeoutMs = 5000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if ((await pass()) > 0) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error('nothing became due');
    await pause(10);
  }
}

describe('retryDelayMs', () => {
  it('doubles from the base on every attempt', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelayMs(attempt, 30_000, middle))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000]);
  });

  it('never waits more than an hour (plus its jitter)', () => {
    expect(retryDelayMs(8, 30_000, () => 0.5)).toBe(HOUR_MS);
    expect(retryDelayMs(50, 30_000, () => 0.5)).toBe(HOUR_MS);
    expect(retryDelayMs(50, 30_000, () => 0.999_999)).toBeLessThanOrEqual(1.2 * HOUR_MS);
  });

  it('stays within ±20 % of the nominal delay', () => {
    expect(retryDelayMs(1, 1000, () => 0)).toBe(800);
    expect(retryDelayMs(1, 1000, () => 0.999_999)).toBe(1200);
    for (let i = 0; i < 500; i++) {
      const attempt = 1 + (i % 10);
      const nominal = Math.min(1000 * 2 ** (attempt - 1), HOUR_MS);
      const delay = retryDelayMs(attempt, 1000);
      expect(delay).toBeGreaterThanOrEqual(0.8 * nominal);
      expect(delay).toBeLessThanOrEqual(1.2 * nominal);
    }
  });
});

describe.each(databaseKinds)('webhook worker on %s', (kind) => {
  const database = useTestDatabase(kind);

  const row = async (id: string) => (await database.db.select().from(webhookEvents).where(eq(webhookEvents.id, id)))[0]!;

  beforeEach(async () => {
    // Each test sees only its own events: the queue is the whole table.
    await database.db.delete(webhookEvents);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('retries a failed event after its backoff, not before, then marks it processed; the failure is stored as a code', async () => {
    // Long enough that the immediate second pass below stays inside the backoff on a loaded machine
    // (a 300 ms base failed under CI load): the check is about order, not speed.
    const settings = { ...SETTINGS, retryBaseMs: 2_500 };
    const { id } = await store();
    const seen: number[] = [];
    const handle: EventHandler = async (claimed) => {
      seen.push(claimed.attempt);
      // The message could quote anything (a payload value); only the code may be stored.
      if (claimed.attempt === 1) throw new BridgeError('unavailable', { status: 503, cause: new Error('upstream said: finance@example.fr') });
    };

    const failedAt = Date.now();
    expect(await processDueEvents({ settings, handle })).toBe(1);
    const failed = await row(id);
    expect(failed).toMatchObject({ processedAt: null, deadAt: null, attempts: 1, lastError: 'bridge:unavailable' });
    // Not due yet: a pass right away takes nothing.
    expect(await processDueEvents({ settings, handle })).toBe(0);
    expect(seen).toEqual([1]);

    await passUntilClaimed(() => processDueEvents({ settings, handle }), 10_000);
    // The earliest the backoff allows is 80 % of the base (a little slack for two clocks).
    expect(Date.now() - failedAt).toBeGreaterThanOrEqual(0.8 * settings.retryBaseMs - 20);
    expect(seen).toEqual([1, 2]);
    const done = await row(id);
    expect(done.processedAt).toBeInstanceOf(Date);
    expect(done.attempts).toBe(2);
    expect(done.lastError).toBeNull();
    expect(await processDueEvents({ settings, handle })).toBe(0);
  });

  it('stores the error class name of a plain error, never its message', async () => {
    const { id } = await store();
    class PayloadProblem extends Error {
      override name = 'PayloadProblem';
    }
    await processDueEvents({
      settings: { ...SETTINGS, retryBaseMs: 60_000 },
      handle: async () => {
        throw new PayloadProblem('user finance@example.fr has SIREN 529196313');
      },
    });
    const failed = await row(id);
    expect(failed.lastError).toBe('PayloadProblem');
    expect(JSON.stringify(failed)).not.toContain('finance@example.fr');
  });

  it('dead-letters an event after maxAttempts with one error line, and only a redelivery gives it one more attempt', async () => {
    const error = vi.spyOn(logger(), 'error');
    const deadLetters = () => error.mock.calls.filter(([fields]) => (fields as { event?: string }).event === 'webhook.dead_letter');
    const stored = await store();
    let calls = 0;
    const handle: EventHandler = async () => {
      calls++;
      throw new BridgeError('unavailable', { status: 500 });
    };

    for (let pass = 0; pass < 200 && !(await row(stored.id)).deadAt; pass++) {
      await processDueEvents({ settings: SETTINGS, handle });
      await pause(2);
    }
    const dead = await row(stored.id);
    expect(dead.deadAt).toBeInstanceOf(Date);
    expect(dead.processedAt).toBeNull();
    expect(dead.attempts).toBe(SETTINGS.maxAttempts);
    expect(dead.lastError).toBe('bridge:unavailable');
    expect(calls).toBe(SETTINGS.maxAttempts);
    expect(deadLetters()).toHaveLength(1);
    expect(deadLetters()[0]![0]).toMatchObject({
      event: 'webhook.dead_letter',
      eventId: stored.id,
      attempts: SETTINGS.maxAttempts,
      lastError: 'bridge:unavailable',
    });

    // Dead means no worker takes it again, however long we wait.
    await pause(20);
    expect(await processDueEvents({ settings: SETTINGS, handle })).toBe(0);
    expect(calls).toBe(SETTINGS.maxAttempts);

    // Bridge delivers it again: one more attempt, which fails and dead-letters it again.
    expect(await store(stored.envelope)).toMatchObject({ outcome: { stored: 'requeued', id: stored.id } });
    expect((await row(stored.id)).deadAt).toBeNull();
    expect(await processDueEvents({ settings: SETTINGS, handle })).toBe(1);
    expect(calls).toBe(SETTINGS.maxAttempts + 1);
    expect((await row(stored.id)).deadAt).toBeInstanceOf(Date);
    expect(deadLetters()).toHaveLength(2);
    expect(deadLetters()[1]![0]).toMatchObject({ eventId: stored.id, attempts: SETTINGS.maxAttempts + 1 });
    await pause(20);
    expect(await processDueEvents({ settings: SETTINGS, handle })).toBe(0);
  });

  it('a redelivery of a processed event is a duplicate and changes nothing', async () => {
    const stored = await store();
    let calls = 0;
    expect(await processDueEvents({ settings: SETTINGS, handle: async () => void calls++ })).toBe(1);
    const before = await row(stored.id);
    expect(before.processedAt).toBeInstanceOf(Date);

    expect((await store(stored.envelope)).outcome).toEqual({ stored: 'duplicate', id: stored.id });
    expect(await row(stored.id)).toEqual(before);
    expect(await processDueEvents({ settings: SETTINGS, handle: async () => void calls++ })).toBe(0);
    expect(calls).toBe(1);
  });

  it('gives an event back when the worker that claimed it dies, once its lease is over', async () => {
    const leaseMs = 300;
    const { id } = await store();
    // A worker claims it, then the process dies: it is never marked either way.
    const claimedAt = Date.now();
    expect(await claimDueEvent(leaseMs)).toMatchObject({ id, attempt: 1 });

    // While the lease runs, nobody else takes it.
    expect(await claimDueEvent(leaseMs)).toBeUndefined();
    const seen: number[] = [];
    const handle: EventHandler = async (claimed) => void seen.push(claimed.attempt);
    expect(await processDueEvents({ settings: { ...SETTINGS, leaseMs }, handle })).toBe(0);

    await passUntilClaimed(() => processDueEvents({ settings: { ...SETTINGS, leaseMs }, handle }));
    expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(leaseMs - 20);
    expect(seen).toEqual([2]);
    expect(await row(id)).toMatchObject({ attempts: 2, lastError: null });
    expect((await row(id)).processedAt).toBeInstanceOf(Date);
  });

  it('deliveries arriving together are stored together, each answered for its own event: new, or a redelivery', async () => {
    const envelopes = Array.from({ length: 40 }, () => readyEnvelope());
    // Forty deliveries at once, one of them twice.
    const results = await Promise.all([...envelopes, envelopes[7]!].map((envelope) => store(envelope)));
    const outcomes = results.map((result) => result.outcome.stored);
    expect(outcomes.filter((stored) => stored === 'new')).toHaveLength(40);
    expect(outcomes.filter((stored) => stored === 'requeued')).toHaveLength(1);
    expect(results[40]!.id).toBe(results[7]!.id);
    const rows = await database.db.select().from(webhookEvents);
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((event) => event.id))).toEqual(new Set(results.map((result) => result.id)));
    // Stored means durable: each is claimed and handled once.
    const handled: string[] = [];
    expect(await processDueEvents({ settings: SETTINGS, handle: async (claimed) => void handled.push(claimed.id) })).toBe(40);
    expect(new Set(handled).size).toBe(40);
    // Delivered again once handled: a duplicate, stored together or not.
    const again = await Promise.all([store(envelopes[0]), store(envelopes[1]), store()]);
    expect(again.map((result) => result.outcome.stored)).toEqual(['duplicate', 'duplicate', 'new']);
  });

  it('after deliveries, one pass at a time in a process; what is stored while it runs gets another round', async () => {
    for (let i = 0; i < 5; i++) await store();
    let inHand = 0;
    let most = 0;
    const handled: string[] = [];
    let late: Promise<unknown> | undefined;
    const handle: EventHandler = async (claimed) => {
      most = Math.max(most, ++inHand);
      handled.push(claimed.id);
      // A delivery while the pass runs: stored, and its own kick joins the running pass.
      if (handled.length === 1) late = store().then(() => processAfterDelivery(failed, { settings: SETTINGS, handle }));
      await pause(5);
      inHand--;
    };
    const failed = vi.fn();
    const passes = [1, 2, 3].map(() => processAfterDelivery(failed, { settings: SETTINGS, handle }));
    await Promise.all(passes);
    await late;
    expect(most).toBe(1);
    expect(handled).toHaveLength(6);
    expect(new Set(handled).size).toBe(6);
    expect(failed).not.toHaveBeenCalled();
    expect((await database.db.select().from(webhookEvents)).every((event) => event.processedAt !== null)).toBe(true);
  });

  it('two workers at once handle every event exactly once', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 30; i++) ids.add((await store()).id);
    const handled: string[] = [];
    const handle: EventHandler = async (claimed) => {
      handled.push(claimed.id);
      await pause(3);
    };

    const [first, second] = await Promise.all([processDueEvents({ settings: SETTINGS, handle }), processDueEvents({ settings: SETTINGS, handle })]);
    expect(first + second).toBe(30);
    // Both really worked side by side.
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(0);
    expect(handled).toHaveLength(30);
    expect(new Set(handled)).toEqual(ids);
    const rows = await database.db.select().from(webhookEvents);
    expect(rows.filter((event) => event.processedAt === null)).toEqual([]);
    expect(rows.every((event) => event.attempts === 1)).toBe(true);
  });

  it('the polling worker takes an event stored after it started, and stop() waits for the event in hand, then takes no other', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const started: string[] = [];
    const handle: EventHandler = async (claimed) => {
      started.push(claimed.id);
      await released;
    };
    const worker = startWebhookWorker({ settings: { ...SETTINGS, pollMs: 20 }, handle });
    let stopped = false;
    try {
      // Give its first pass time to find the queue empty.
      await pause(30);
      const first = await store();
      await vi.waitFor(() => expect(started).toEqual([first.id]), { timeout: 2000, interval: 10 });

      const second = await store();
      const stopping = worker.stop().then(() => (stopped = true));
      // Several poll intervals: stop() still waits for the handler.
      await pause(80);
      expect(stopped).toBe(false);
      expect((await row(first.id)).processedAt).toBeNull();

      release();
      await stopping;
      expect((await row(first.id)).processedAt).toBeInstanceOf(Date);
      await pause(80);
      expect(started).toEqual([first.id]);
      expect(await row(second.id)).toMatchObject({ attempts: 0, processedAt: null });
    } finally {
      release();
      if (!stopped) await worker.stop();
    }
  });
});

describe.each(databaseKinds)('Bridge webhook events with the Bridge sandbox on %s', (kind) => {
  const database = useTestDatabase(kind);
  let sandbox: BridgeSandbox;
  let bridge: BridgeLink;

  /** Calls the sandbox as Bridge's dashboard or our operators would, with the app's credentials. */
  async function direct(method: string, path: string, body?: unknown): Promise<Response> {
    return sandbox.handle(bridgeRequest(path, { method, body, credentials: CREDENTIALS }));
  }

  /** A Bridge user created at Bridge with our reference, whose link we never stored (the answer was lost). */
  async function unlinkedBridgeUser(portalUserId: string): Promise<string> {
    const response = await direct('POST', '/v3/aggregation/users', { external_user_id: portalUserId });
    expect(response.status).toBe(201);
    return ((await response.json()) as { uuid: string }).uuid;
  }

  function readyEvent(envelope: Envelope): BridgeWebhookEvent {
    const parsed = parseBridgeWebhook(JSON.stringify(envelope));
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.event;
  }

  const linkOf = async (userId: string) => database.db.select().from(bridgeUsers).where(eq(bridgeUsers.userId, userId));
  const notificationsOf = async (userId: string) => database.db.select().from(notifications).where(eq(notifications.userId, userId));

  beforeEach(async () => {
    await database.db.delete(webhookEvents);
    sandbox = createBridgeSandbox({ ...CREDENTIALS, siteOrigin: 'http://portal.test' });
    clearTokenCache();
    bridge = createBridgeLink(
      createBridgeClient({
        apiUrl: 'http://bridge.test',
        ...CREDENTIALS,
        version: '2025-01-15',
        sleep: async () => undefined,
        fetch: (input, init) => sandbox.handle(new Request(input, init)),
      }),
    );
  });

  it('links a Bridge user we never linked and makes one notification, however often the event is handled', async () => {
    const userId = await insertUser(database);
    const bridgeUserUuid = await unlinkedBridgeUser(userId);
    expect(await linkOf(userId)).toHaveLength(0);
    const { id, envelope } = await store(readyEnvelope(bridgeUserUuid));

    await handleBridgeEvent(id, readyEvent(envelope), { bridge });
    await handleBridgeEvent(id, readyEvent(envelope), { bridge });

    expect(await linkOf(userId)).toMatchObject([{ userId, bridgeUserUuid }]);
    const made = await notificationsOf(userId);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ kind: 'guidance.ready', companyIdentificationNumber: SIREN, eventId: id });
  });

  it('does nothing, and does not fail, for a Bridge user Bridge does not know', async () => {
    const userId = await insertUser(database);
    const { id, envelope } = await store(readyEnvelope(randomUUID()));
    await expect(handleBridgeEvent(id, readyEvent(envelope), { bridge })).resolves.toBeUndefined();
    expect(await database.db.select().from(notifications).where(eq(notifications.eventId, id))).toHaveLength(0);
    expect(await linkOf(userId)).toHaveLength(0);
  });

  it('throws when Bridge answers 500 to the lookup, so the worker retries it and succeeds once Bridge is back', async () => {
    const userId = await insertUser(database);
    const bridgeUserUuid = await unlinkedBridgeUser(userId);
    const { id, envelope } = await store(readyEnvelope(bridgeUserUuid));
    // Every attempt of the client (it retries a read twice) gets a 500.
    const faults = await direct('POST', '/_control/faults', { faults: [{ operation: 'GET /v3/aggregation/users/*', action: 'error', times: 3 }] });
    expect(faults.status).toBe(200);

    const failure = await handleBridgeEvent(id, readyEvent(envelope), { bridge }).catch((error: unknown) => error);
    expect(isBridgeError(failure, 'unavailable')).toBe(true);
    expect(await linkOf(userId)).toHaveLength(0);
    expect(await notificationsOf(userId)).toHaveLength(0);

    // Through the worker: the failure leaves the event due again after its backoff, and a later pass does the work.
    const settings = { ...SETTINGS, retryBaseMs: 200 };
    await direct('POST', '/_control/knobs', { error_rate: 1 });
    const handle: EventHandler = (claimed) => handleBridgeEvent(claimed.id, readyEvent(claimed.payload as Envelope), { bridge });
    expect(await processDueEvents({ settings, handle })).toBe(1);
    const [failed] = await database.db.select().from(webhookEvents).where(eq(webhookEvents.id, id));
    expect(failed).toMatchObject({ processedAt: null, deadAt: null, attempts: 1, lastError: 'bridge:unavailable' });
    expect(await notificationsOf(userId)).toHaveLength(0);

    await direct('POST', '/_control/knobs', { error_rate: 0 });
    await passUntilClaimed(() => processDueEvents({ settings, handle }));
    const [done] = await database.db.select().from(webhookEvents).where(eq(webhookEvents.id, id));
    expect(done?.processedAt).toBeInstanceOf(Date);
    expect(await linkOf(userId)).toMatchObject([{ bridgeUserUuid }]);
    expect(await notificationsOf(userId)).toHaveLength(1);
  });
});
