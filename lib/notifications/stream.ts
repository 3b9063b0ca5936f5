import 'server-only';
import { portalSessionEnd } from '@/lib/auth/sessions';
import { runAt } from '@/lib/events/deadlines';
import { subscribeToUser } from '@/lib/events/process-bus';
import type { BusListener, BusSignal } from '@/lib/events/bus';
import { eventStream, type EventSink } from '@/lib/events/sse';
import { logger } from '@/lib/log';
import { unreadNotifications } from './service';
import type { PortalNotification } from './types';

// A user's notifications, pushed (app/api/events): the list when the stream opens, the list again whenever the event
// bus says it changed (a webhook wrote one, another tab dismissed one), nothing in between but a heartbeat. An idle
// stream costs no database work: the session is checked again only when something arrives for this user and when
// the session is due to end; a stream whose session has ended (signed out, revoked, idle, expired) is ended.

export interface StreamViewer {
  userId: string;
  sessionId: string;
  /** When the session ends unless the user does something (checked again then: activity elsewhere moves it). */
  endsAt: Date;
}

export interface NotificationStreamDeps {
  list: (userId: string) => Promise<PortalNotification[]>;
  /** The session's end as the database says now; null when it has ended. Never counts as activity. */
  sessionEnd: (sessionId: string, userId: string) => Promise<Date | null>;
  subscribe: (userId: string, listener: BusListener) => Promise<() => void>;
}

const defaultDeps: NotificationStreamDeps = { list: unreadNotifications, sessionEnd: portalSessionEnd, subscribe: subscribeToUser };

/**
 * One read for every stream that needs it at once: a user's several tabs without a shared stream (or devices), told of
 * one change at the same moment, read the list (and a shared session, its end) once. A read is joined only when it
 * started after the joiner learned of the change, so nobody is given what was true before it.
 */
const inFlight = new Map<string, { since: number; result: Promise<unknown> }>();
function sharedRead<T>(key: string, notBefore: number, read: () => Promise<T>): Promise<T> {
  const current = inFlight.get(key);
  if (current && current.since >= notBefore) return current.result as Promise<T>;
  const since = performance.now();
  const result = read().finally(() => {
    if (inFlight.get(key)?.result === result) inFlight.delete(key);
  });
  inFlight.set(key, { since, result });
  return result;
}

const errorCode = (error: unknown) =>
  typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : error instanceof Error ? error.name : 'unknown';

/** The `notifications` events of one viewer's stream; ends with an `end` event when the session does. */
export function notificationStream(viewer: StreamViewer, options: { signal?: AbortSignal; deps?: NotificationStreamDeps } = {}): ReadableStream<Uint8Array> {
  const deps = options.deps ?? defaultDeps;
  return eventStream({
    signal: options.signal,
    start: async (sink) => {
      const feed = feedOf(viewer, sink, deps);
      // Subscribed before the first read: a change between the two is not missed, and a read started since is current.
      const subscribing = performance.now();
      const unsubscribe = await deps.subscribe(viewer.userId, feed.signal);
      const stop = () => {
        unsubscribe();
        feed.stop();
      };
      try {
        await feed.first(subscribing);
      } catch (error) {
        stop();
        logger().warn({ event: 'events.stream_failed', error: errorCode(error) }, 'a notification stream could not read; ended for the browser to reconnect');
        throw error;
      }
      return stop;
    },
  });
}

/** What a signal asks for: the session checked, the list too unless only sessions changed; learned at `since`. */
type Work = { list: boolean; since: number };

function feedOf(viewer: StreamViewer, sink: EventSink, deps: NotificationStreamDeps) {
  // On the shared deadline timer (lib/events/deadlines): a timer of its own would keep the opening request's context.
  let cancelDeadline: (() => void) | undefined;
  // One check at a time; what arrives meanwhile is done once after it.
  let running: Promise<void> | undefined;
  let pending: Work | undefined;

  const armDeadline = (endsAt: Date) => {
    cancelDeadline?.();
    cancelDeadline = runAt(endsAt, () => refresh({ list: false, since: performance.now() }));
  };

  async function check(work: Work): Promise<void> {
    const endsAt = await sharedRead(`session:${viewer.sessionId}`, work.since, () => deps.sessionEnd(viewer.sessionId, viewer.userId));
    if (sink.closed) return;
    if (!endsAt) return sink.end('session');
    armDeadline(endsAt);
    if (work.list) await sendList(work.since);
  }

  async function sendList(since: number): Promise<void> {
    const notifications = await sharedRead(`list:${viewer.userId}`, since, () => deps.list(viewer.userId));
    if (!sink.closed) sink.send('notifications', { notifications });
  }

  function refresh(work: Work): void {
    if (sink.closed) return;
    if (running) {
      // Done after the running check, so learned now whatever that check read.
      pending = { list: (pending?.list ?? false) || work.list, since: work.since };
      return;
    }
    running = check(work)
      .catch((error: unknown) => {
        // The database did not answer: the browser reconnects (with backoff) and gets the list then.
        logger().warn({ event: 'events.stream_failed', error: errorCode(error) }, 'a notification stream could not read; ended for the browser to reconnect');
        sink.end('unavailable');
      })
      .finally(() => {
        running = undefined;
        const next = pending;
        pending = undefined;
        if (next) refresh(next);
      });
  }

  return {
    signal: (signal: BusSignal, receivedAt: number) => refresh({ list: signal.topic !== 'sessions', since: receivedAt }),
    /** The list as it is now; the session was checked by the request that opened the stream. */
    first: async (subscribedAt: number) => {
      armDeadline(viewer.endsAt);
      await sendList(subscribedAt);
    },
    stop: () => {
      cancelDeadline?.();
      cancelDeadline = undefined;
      pending = undefined;
    },
  };
}
