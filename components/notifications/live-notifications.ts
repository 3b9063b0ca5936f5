'use client';

import { useEffect, useSyncExternalStore } from 'react';
import type { PortalNotification } from '@/lib/notifications/types';

// The user's notifications, pushed by the server (GET /api/events, server-sent events) to ONE tab per browser, which
// relays them to the others: browsers open at most six HTTP/1.1 connections per site, and a stream per tab would
// leave a seventh tab's every request waiting. The tab holding the Web Lock below is the leader; when it closes, the
// next tab takes the lock and the stream. Without Web Locks or BroadcastChannel each tab holds its own stream.
//
// The stream starts with the list, so a (re)connection is also the one refetch. When it fails, the tab asks for the
// list plainly (GET /api/notifications): 401, the session has ended, and it stops; an answer, it reconnects with
// backoff, and after a few failures in a row (a proxy that holds streams back) it polls every minute instead, trying
// the stream again each time.

const STREAM_URL = '/api/events';
const LIST_URL = '/api/notifications';
const LOCK = 'guidepost:events';
const CHANNEL = 'guidepost:notifications';
const FALLBACK_POLL_MS = 60_000;
const MAX_BACKOFF_MS = 15_000;
const FAILURES_BEFORE_POLLING = 3;

type Relay = { type: 'list'; notifications: PortalNotification[] } | { type: 'ask' };

// This tab's copy of the list, for every component that shows it.
let current: PortalNotification[] = [];
const watchers = new Set<() => void>();
function show(list: PortalNotification[]): void {
  current = list;
  for (const watcher of watchers) watcher();
}

async function fetchList(): Promise<{ status: number; notifications?: PortalNotification[] } | undefined> {
  try {
    const response = await fetch(LIST_URL, { cache: 'no-store' });
    if (!response.ok) return { status: response.status };
    return { status: response.status, notifications: ((await response.json()) as { notifications: PortalNotification[] }).notifications };
  } catch {
    return undefined; // the server did not answer
  }
}

const jittered = (ms: number) => ms * (0.8 + Math.random() * 0.4);

interface Stream {
  /** After the session ended: try again (a tab was opened, perhaps after logging in again). */
  wake(): void;
  received(): boolean;
  close(): void;
}

/** The stream, with its reconnection and fallback; `deliver` gets every list it learns. */
function openStream(deliver: (list: PortalNotification[]) => void): Stream {
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let closed = false;
  let stopped = false;
  let received = false;

  const take = (list: PortalNotification[]) => {
    received = true;
    deliver(list);
  };
  const later = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(connect, ms);
  };

  function connect(): void {
    if (closed) return;
    source?.close();
    const opened = new EventSource(STREAM_URL);
    source = opened;
    opened.addEventListener('notifications', (event) => {
      failures = 0;
      take((JSON.parse((event as MessageEvent<string>).data) as { notifications: PortalNotification[] }).notifications);
    });
    // The server ended it on purpose (its shutdown, a session to check again, a failed read): back soon, spread out
    // so the browsers of a stopping instance do not all arrive at once.
    opened.addEventListener('end', (event) => {
      opened.close();
      const { reason } = JSON.parse((event as MessageEvent<string>).data) as { reason: string };
      later(jittered(reason === 'unavailable' ? 2_000 : 500));
    });
    opened.onerror = () => {
      opened.close();
      if (source !== opened || closed) return;
      failures++;
      void diagnose();
    };
  }

  async function diagnose(): Promise<void> {
    const answer = await fetchList();
    if (closed) return;
    if (answer?.status === 401) {
      // The session has ended: nothing to show, and nothing to reconnect to until someone logs in again.
      stopped = true;
      take([]);
      return;
    }
    if (answer?.notifications) take(answer.notifications);
    if (answer?.notifications && failures >= FAILURES_BEFORE_POLLING) later(FALLBACK_POLL_MS);
    else later(jittered(Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** (failures - 1))));
  }

  connect();
  return {
    wake() {
      if (!stopped || closed) return;
      stopped = false;
      failures = 0;
      connect();
    },
    received: () => received,
    close() {
      closed = true;
      clearTimeout(timer);
      source?.close();
    },
  };
}

/** Joins this tab to the browser's one stream (leading it when no other tab does); returns how to leave. */
function joinBrowserStream(): () => void {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (typeof BroadcastChannel === 'undefined' || !locks) {
    const own = openStream(show);
    return () => own.close();
  }
  const channel = new BroadcastChannel(CHANNEL);
  const leaving = new AbortController();
  let led: Stream | undefined;
  const relay = (message: Relay) => channel.postMessage(message);

  channel.onmessage = (event: MessageEvent<Relay>) => {
    const message = event.data;
    if (message?.type === 'list' && Array.isArray(message.notifications)) show(message.notifications);
    else if (message?.type === 'ask' && led) {
      if (led.received()) relay({ type: 'list', notifications: current });
      led.wake();
    }
  };
  // Held until this tab leaves: the lock is the leadership.
  locks
    .request(LOCK, { signal: leaving.signal }, () => {
      if (leaving.signal.aborted) return;
      led = openStream((list) => {
        show(list);
        relay({ type: 'list', notifications: list });
      });
      return new Promise<void>((release) => leaving.signal.addEventListener('abort', () => release(), { once: true }));
    })
    .catch(() => undefined); // aborted while waiting: this tab left before leading
  relay({ type: 'ask' });
  return () => {
    leaving.abort();
    led?.close();
    led = undefined;
    channel.close();
  };
}

// One membership per tab, however many components watch the list.
let members = 0;
let leave: (() => void) | undefined;

function watch(watcher: () => void): () => void {
  watchers.add(watcher);
  return () => watchers.delete(watcher);
}

/** The list now, from the server, for this tab and the others (after this tab changed it). */
async function refresh(): Promise<void> {
  const answer = await fetchList();
  if (!answer?.notifications) return;
  show(answer.notifications);
  if (typeof BroadcastChannel !== 'undefined') {
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage({ type: 'list', notifications: answer.notifications } satisfies Relay);
    channel.close();
  }
}

const NONE: PortalNotification[] = [];

/** The user's unread notifications, kept current by the server's pushes; `refresh` after this tab changed them. */
export function useLiveNotifications(): { notifications: PortalNotification[]; refresh: () => Promise<void> } {
  const notifications = useSyncExternalStore(
    watch,
    () => current,
    () => NONE,
  );
  useEffect(() => {
    if (members++ === 0) leave = joinBrowserStream();
    return () => {
      if (--members === 0) {
        leave?.();
        leave = undefined;
      }
    };
  }, []);
  return { notifications, refresh };
}
