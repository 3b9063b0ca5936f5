import 'server-only';
import { portalSessionEnd } from '@/lib/auth/sessions';
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

// setTimeout's limit (about 24 days); sessions end within 12 hours anyway.
const MAX_TIMER_MS = 2 ** 31 - 1;

const errorCode = (error: unknown) =>
  typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : error instanceof Error ? error.name : 'unknown';

/** The `notifications` events of one viewer's stream; ends with an `end` event when the session does. */
export function notificationStream(viewer: StreamViewer, options: { signal?: AbortSignal; deps?: NotificationStreamDeps } = {}): ReadableStream<Uint8Array> {
  const deps = options.deps ?? defaultDeps;
  return eventStream({
    signal: options.signal,
    start: async (sink) => {
      const feed = feedOf(viewer, sink, deps);
      // Subscribed before the first read: a change between the two is not missed.
      const unsubscribe = await deps.subscribe(viewer.userId, feed.signal);
      const stop = () => {
        unsubscribe();
        feed.stop();
      };
      try {
        await feed.first();
      } catch (error) {
        stop();
        logger().warn({ event: 'events.stream_failed', error: errorCode(error) }, 'a notification stream could not read; ended for the browser to reconnect');
        throw error;
      }
      return stop;
    },
  });
}

function feedOf(viewer: StreamViewer, sink: EventSink, deps: NotificationStreamDeps) {
  let deadline: ReturnType<typeof setTimeout> | undefined;
  // One check at a time; what arrives meanwhile is done once after it.
  let running: Promise<void> | undefined;
  let pending: { list: boolean } | undefined;

  const armDeadline = (endsAt: Date) => {
    if (deadline) clearTimeout(deadline);
    deadline = setTimeout(() => refresh({ list: false }), Math.min(MAX_TIMER_MS, Math.max(0, endsAt.getTime() - Date.now())));
    deadline.unref?.();
  };

  async function check(work: { list: boolean }): Promise<void> {
    const endsAt = await deps.sessionEnd(viewer.sessionId, viewer.userId);
    if (sink.closed) return;
    if (!endsAt) return sink.end('session');
    armDeadline(endsAt);
    if (work.list) await sendList();
  }

  async function sendList(): Promise<void> {
    const notifications = await deps.list(viewer.userId);
    if (!sink.closed) sink.send('notifications', { notifications });
  }

  function refresh(work: { list: boolean }): void {
    if (sink.closed) return;
    if (running) {
      pending = { list: (pending?.list ?? false) || work.list };
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
    signal: (signal: BusSignal) => refresh({ list: signal.topic !== 'sessions' }),
    /** The list as it is now; the session was checked by the request that opened the stream. */
    first: async () => {
      armDeadline(viewer.endsAt);
      await sendList();
    },
    stop: () => {
      if (deadline) clearTimeout(deadline);
      pending = undefined;
    },
  };
}
