import 'server-only';
import type { EventBus } from './bus';
import { createFanOut } from './fan-out';
import { decodeMessage, encodeMessage } from './messages';

export const POSTGRES_CHANNEL = 'guidepost_events';

/** What the bus needs of a pg.Client: connect, LISTEN, hear notifications, learn the connection is gone. */
export interface ListeningClient {
  connect(): Promise<unknown>;
  query(text: string): Promise<unknown>;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: 'error' | 'end', listener: (error?: Error) => void): unknown;
  end(): Promise<void>;
}

export interface PostgresBusOptions {
  /** A new connection of the bus's own, for LISTEN (a pooled one would be handed to others). */
  connect: () => ListeningClient;
  /** NOTIFY through the process's pool: `select pg_notify(channel, payload)`. */
  notify: (channel: string, payload: string) => Promise<void>;
  channel?: string;
  onListenerError?: (error: unknown) => void;
  /** The listening connection failed (its error's code) and is opened again after `retryInMs`. */
  onConnectionLost?: (code: string, retryInMs: number) => void;
  onResync?: () => void;
}

const MIN_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

const codeOf = (error: unknown) =>
  typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : error instanceof Error ? error.name : 'unknown';

/** PostgreSQL LISTEN/NOTIFY: one listening connection per process, opened again (with backoff) when it drops. */
export function createPostgresBus(options: PostgresBusOptions): EventBus {
  const channel = options.channel ?? POSTGRES_CHANNEL;
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error('the channel must be a plain identifier');
  const fanOut = createFanOut(options.onListenerError);
  let client: ListeningClient | undefined;
  let closed = false;
  let failures = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let listening: Promise<void>;

  async function listen(resync: boolean): Promise<void> {
    const next = options.connect();
    client = next;
    let lost = false;
    const onLost = (error?: unknown) => {
      if (lost || closed || client !== next) return;
      lost = true;
      client = undefined;
      next.end().catch(() => undefined);
      const delay = Math.min(MAX_RETRY_MS, MIN_RETRY_MS * 2 ** failures++);
      options.onConnectionLost?.(error === undefined ? 'ended' : codeOf(error), delay);
      retry = setTimeout(() => {
        retry = undefined;
        listening = listen(true).catch(() => undefined);
      }, delay);
      retry.unref?.();
    };
    next.on('error', onLost);
    next.on('end', () => onLost());
    next.on('notification', (notification) => {
      if (notification.channel !== channel || notification.payload === undefined) return;
      const message = decodeMessage(notification.payload);
      if (message) fanOut.deliver(message);
    });
    try {
      await next.connect();
      await next.query(`listen ${channel}`);
    } catch (error) {
      onLost(error);
      throw error;
    }
    failures = 0;
    if (resync) {
      options.onResync?.();
      fanOut.resync();
    }
  }

  listening = listen(false);
  listening.catch(() => undefined);
  return {
    kind: 'postgres',
    publish: (message) => options.notify(channel, encodeMessage(message)),
    subscribe: (userId, listener) => fanOut.subscribe(userId, listener),
    ready: () => listening,
    listeners: () => fanOut.size(),
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };
}
