import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAuthSession, IDLE_TIMEOUT_MS, revokeSession, revokeUserSessions, sessionExpiresAt, portalSessionEnd } from '@/lib/auth/sessions';
import { parseBridgeWebhook } from '@/lib/bridge/webhook-events';
import { saveCompanyProfile } from '@/lib/company/service';
import { authSessions } from '@/lib/db/schema';
import { createMemoryBus } from '@/lib/events/memory-bus';
import { eventBus, setEventBusForTests, subscribeToUser } from '@/lib/events/process-bus';
import { handleBridgeEvent } from '@/lib/webhooks/bridge-events';
import { dedupeKey, storeEvent } from '@/lib/webhooks/queue';
import { databaseKinds, insertUser, useTestDatabase } from '@/test/databases';
import { dismissNotification, unreadNotifications } from './service';
import { notificationStream, type NotificationStreamDeps } from './stream';
import type { PortalNotification } from './types';

// A user's pushed notifications (app/api/events) on a real database, with the bus in the process: what an open tab
// receives when a webhook writes a notice, when another tab dismisses one, and when the session ends.

type Received = { event: string; data: { notifications?: PortalNotification[]; reason?: string } };

/** Reads a stream's events as a browser would, as they come. */
function listen(stream: ReadableStream<Uint8Array>) {
  const events: Received[] = [];
  let comments = 0;
  const done = (async () => {
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done: finished } = await reader.read();
      if (finished) return;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        if (block.startsWith(':')) {
          comments++;
          continue;
        }
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        events.push({ event, data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!) });
      }
    }
  })();
  return { events, done, comments: () => comments };
}

const lists = (events: Received[]) => events.filter((event) => event.event === 'notifications').map((event) => event.data.notifications!);

describe.each(databaseKinds)('pushed notifications on %s', (kind) => {
  const database = useTestDatabase(kind);
  beforeAll(() => setEventBusForTests(createMemoryBus()));
  afterAll(() => setEventBusForTests(undefined));

  async function signedIn(): Promise<{ userId: string; sessionId: string; endsAt: Date }> {
    const userId = await insertUser(database);
    await saveCompanyProfile(userId, {
      companyName: 'Acme Conseil',
      countryCode: 'FR',
      identificationNumber: '529196313',
      language: 'fr',
      contactEmail: 'finance@example.fr',
      contactPhone: '+33612345678',
    });
    const session = await createAuthSession(userId, 'vitest');
    return { userId, sessionId: session.id, endsAt: sessionExpiresAt(session) };
  }

  /** A guidance-ready webhook for the user, stored and handled as the worker does. */
  async function webhookFor(userId: string): Promise<void> {
    const envelope = { content: { company_identification_number: '529196313', user_id: randomUUID() }, timestamp: Date.now(), type: 'guidance.health.ready' };
    const { id } = await storeEvent(dedupeKey('bridge', envelope), {
      provider: 'bridge',
      type: envelope.type,
      payload: envelope,
      eventTimestamp: new Date(envelope.timestamp),
    });
    const parsed = parseBridgeWebhook(JSON.stringify(envelope));
    if (!parsed.ok) throw new Error(parsed.reason);
    const bridge = {
      findPortalUserByBridgeUuid: async () => userId,
      lookupBridgeUser: async () => undefined,
      linkBridgeUser: async () => undefined,
      unlinkBridgeUser: async () => undefined,
    };
    await handleBridgeEvent(id, parsed.event, { bridge });
  }

  it('opens with the list, then sends it again when a webhook writes a notice and when another tab dismisses it; another user’s notice is not sent', async () => {
    const viewer = await signedIn();
    const other = await signedIn();
    const abort = new AbortController();
    const stream = listen(notificationStream(viewer, { signal: abort.signal }));
    await vi.waitFor(() => expect(lists(stream.events)).toEqual([[]]));

    await webhookFor(viewer.userId);
    await vi.waitFor(() => expect(lists(stream.events)).toHaveLength(2));
    const [notice] = lists(stream.events)[1]!;
    expect(notice).toMatchObject({ kind: 'guidance.ready', company: { name: 'Acme Conseil' } });

    await webhookFor(other.userId);
    await dismissNotification(viewer.userId, notice!.id);
    await vi.waitFor(() => expect(lists(stream.events)).toHaveLength(3));
    expect(lists(stream.events)[2]).toEqual([]);
    // Dismissing again changes nothing and says nothing.
    await dismissNotification(viewer.userId, notice!.id);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lists(stream.events)).toHaveLength(3);

    // The browser leaves: the stream lets go of the bus.
    abort.abort();
    await stream.done;
    expect(await busListeners()).toBe(0);
  });

  it('ends at once when the session is signed out or revoked, and goes on when only the user’s other sessions are', async () => {
    const viewer = await signedIn();
    const stream = listen(notificationStream(viewer));
    await vi.waitFor(() => expect(lists(stream.events)).toHaveLength(1));

    await revokeUserSessions(viewer.userId, { exceptSessionId: viewer.sessionId });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stream.events.some((event) => event.event === 'end')).toBe(false);

    const before = Date.now();
    await revokeSession(viewer.sessionId);
    await stream.done;
    expect(Date.now() - before).toBeLessThan(1_000);
    expect(stream.events.at(-1)).toEqual({ event: 'end', data: { reason: 'session' } });
    expect(await busListeners()).toBe(0);
  });

  it('ends when the session times out idle, though the stream never counted as activity', async () => {
    const viewer = await signedIn();
    // Last seen almost the idle timeout ago: the session ends in 400 ms.
    const lastSeenAt = new Date(Date.now() - IDLE_TIMEOUT_MS + 400);
    await database.db.update(authSessions).set({ lastSeenAt }).where(eq(authSessions.id, viewer.sessionId));
    const stream = listen(notificationStream({ ...viewer, endsAt: new Date(lastSeenAt.getTime() + IDLE_TIMEOUT_MS) }));
    await vi.waitFor(() => expect(lists(stream.events)).toHaveLength(1));
    await stream.done;
    expect(stream.events.at(-1)).toEqual({ event: 'end', data: { reason: 'session' } });
    expect(await portalSessionEnd(viewer.sessionId, viewer.userId)).toBeNull();
  });

  it('checks the session again when the time it was due to end comes, and goes on when activity elsewhere moved it', async () => {
    const viewer = await signedIn();
    const counted = countingDeps();
    const stream = listen(notificationStream({ ...viewer, endsAt: new Date(Date.now() + 200) }, { deps: counted.deps }));
    await vi.waitFor(() => expect(counted.calls.sessionEnd).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stream.events.filter((event) => event.event === 'end')).toEqual([]);
    // Re-armed at the session's real end (half an hour away), not in a loop.
    expect(counted.calls.sessionEnd).toBe(1);
    await revokeSession(viewer.sessionId);
    await stream.done;
  });

  it('does no database work while nothing happens for its user, and reads once per change', async () => {
    const viewer = await signedIn();
    const other = await signedIn();
    const counted = countingDeps();
    const stream = listen(notificationStream(viewer, { deps: counted.deps }));
    await vi.waitFor(() => expect(lists(stream.events)).toHaveLength(1));
    expect(counted.calls).toEqual({ list: 1, sessionEnd: 0 });

    await webhookFor(other.userId);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(counted.calls).toEqual({ list: 1, sessionEnd: 0 });

    // A change: the session is checked before anything is sent, then the list is read.
    await webhookFor(viewer.userId);
    await vi.waitFor(() => expect(lists(stream.events)).toHaveLength(2));
    expect(counted.calls).toEqual({ list: 2, sessionEnd: 1 });
    await revokeSession(viewer.sessionId);
    await stream.done;
  });

  it('reads once per change for all the streams of one session, never a list from before the change', async () => {
    const viewer = await signedIn();
    const counted = countingDeps();
    const streams = Array.from({ length: 20 }, () => listen(notificationStream(viewer, { deps: counted.deps })));
    await vi.waitFor(() => expect(streams.every((stream) => lists(stream.events).length === 1)).toBe(true));
    const opening = { ...counted.calls };

    await webhookFor(viewer.userId);
    await vi.waitFor(() => expect(streams.every((stream) => lists(stream.events).length === 2)).toBe(true));
    expect(counted.calls).toEqual({ list: opening.list + 1, sessionEnd: opening.sessionEnd + 1 });
    for (const stream of streams) expect(lists(stream.events)[1]).toHaveLength(1);
    await revokeSession(viewer.sessionId);
    await Promise.all(streams.map((stream) => stream.done));
  });

  it('ends for the browser to reconnect when the database does not answer', async () => {
    const viewer = await signedIn();
    const counted = countingDeps();
    const stream = listen(
      notificationStream(viewer, { deps: { ...counted.deps, list: async (userId) => (counted.calls.list++ ? failing() : unreadNotifications(userId)) } }),
    );
    await vi.waitFor(() => expect(lists(stream.events)).toHaveLength(1));
    await webhookFor(viewer.userId);
    await stream.done;
    expect(stream.events.at(-1)).toEqual({ event: 'end', data: { reason: 'unavailable' } });
    expect(await busListeners()).toBe(0);
  });
});

const failing = (): never => {
  throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
};

/** The default dependencies, counting their database reads. */
function countingDeps(): { deps: NotificationStreamDeps; calls: { list: number; sessionEnd: number } } {
  const calls = { list: 0, sessionEnd: 0 };
  return {
    calls,
    deps: {
      list: (userId) => {
        calls.list++;
        return unreadNotifications(userId);
      },
      sessionEnd: (sessionId, userId) => {
        calls.sessionEnd++;
        return portalSessionEnd(sessionId, userId);
      },
      subscribe: subscribeToUser,
    },
  };
}

/** The bus's open listeners: each test closes its streams, so none is left once a stream has ended. */
async function busListeners(): Promise<number> {
  return (await eventBus()).listeners();
}
