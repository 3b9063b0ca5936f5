import 'server-only';
import { DETACH_HEADER, DETACHED_BODIES } from '@/lib/deployment';
import { onDrain } from '@/lib/shutdown';

// Server-sent events: the framing, a heartbeat for every open stream from one timer, and the end of every stream when
// the server stops (the browser reconnects, to another instance behind a balancer). The open streams are kept on
// globalThis so the shutdown (scripts/server.mjs, outside the bundles) reaches them.

/** Proxies drop a connection that says nothing for a minute or two (HAProxy's `timeout server`, nginx's 60 s). */
export const HEARTBEAT_MS = 25_000;

const encoder = new TextEncoder();

export interface EventSink {
  /** One event: its name and a JSON payload. Nothing once the stream has ended. */
  send(event: string, data: unknown): void;
  /** Tells the browser why (an `end` event), then closes the stream. */
  end(reason: EndReason): void;
  readonly closed: boolean;
}

/** Why the server ended a stream: the browser reconnects after `shutdown` and `unavailable`, and checks first after `session`. */
export type EndReason = 'session' | 'shutdown' | 'unavailable';

interface OpenStream {
  ping(): void;
  end(reason: EndReason): void;
}

interface Registry {
  streams: Set<OpenStream>;
  timer: ReturnType<typeof setInterval> | undefined;
  /** Set when the server starts stopping: a stream asked for afterwards (a browser reconnecting over a connection not yet closed) ends at once. */
  draining?: boolean;
}

const REGISTRY = Symbol.for('guidepost.events.open-streams');

function registry(): Registry {
  const holder = globalThis as unknown as { [REGISTRY]?: Registry };
  if (!holder[REGISTRY]) {
    const created: Registry = { streams: new Set(), timer: undefined };
    holder[REGISTRY] = created;
    onDrain('event-streams', async () => {
      created.draining = true;
      endEventStreams('shutdown');
    });
  }
  return holder[REGISTRY];
}

function track(stream: OpenStream): () => void {
  const open = registry();
  open.streams.add(stream);
  open.timer ??= setInterval(() => {
    for (const each of [...open.streams]) each.ping();
  }, HEARTBEAT_MS);
  open.timer.unref?.();
  return () => {
    open.streams.delete(stream);
    if (open.streams.size === 0 && open.timer) {
      clearInterval(open.timer);
      open.timer = undefined;
    }
  };
}

/** Ends every open stream of this process (at shutdown). */
export function endEventStreams(reason: EndReason): void {
  for (const stream of [...registry().streams]) stream.end(reason);
}

/** How many streams this process holds open. */
export function openEventStreams(): number {
  return registry().streams.size;
}

/**
 * A text/event-stream body. `start` subscribes to whatever feeds the stream and returns how to stop; it runs once, and
 * its stop runs once, whichever way the stream ends (the browser left, `end`, a shutdown).
 */
export function eventStream(options: { signal?: AbortSignal; start: (sink: EventSink) => Promise<() => void> }): ReadableStream<Uint8Array> {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let stop: (() => void) | undefined;
  let untrack: (() => void) | undefined;

  const write = (text: string) => {
    if (closed) return;
    try {
      controller.enqueue(encoder.encode(text));
    } catch {
      finish();
    }
  };
  function finish(): void {
    if (closed) return;
    closed = true;
    untrack?.();
    options.signal?.removeEventListener('abort', finish);
    stop?.();
    stop = undefined;
    try {
      controller.close();
    } catch {
      // already closed or cancelled by the reader
    }
  }
  const sink: EventSink = {
    send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
    end: (reason) => {
      write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
      finish();
    },
    get closed() {
      return closed;
    },
  };

  return new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
      if (options.signal?.aborted) return finish();
      // Stopping: a stream opened now would hold the shutdown until its grace ran out. Sent elsewhere at once.
      if (registry().draining) return sink.end('shutdown');
      options.signal?.addEventListener('abort', finish, { once: true });
      untrack = track({ ping: () => write(': keep-alive\n\n'), end: sink.end });
      // Sent at once: headers and a first byte go out, so proxies and the browser know the stream is open.
      write(': open\n\n');
      // Not awaited: what start() enqueues meanwhile goes out as it comes.
      options.start(sink).then(
        (stopFeeding) => {
          if (closed) stopFeeding();
          else stop = stopFeeding;
        },
        () => sink.end('unavailable'),
      );
    },
    cancel() {
      finish();
    },
  });
}

/**
 * The answer that carries an event stream: never cached, never compressed (a compressor would hold events back).
 *
 * Under scripts/server.mjs, a stream's body is written to the connection by the server once Next.js has answered
 * (with the headers alone): Next.js holds the whole request it pipes a body for (its awaiting frames, request store,
 * caches: about 40 KiB measured) until the body ends, which for an idle tab is hours. The server names the request in
 * DETACH_HEADER (never a client's value) and takes the body from its map. Elsewhere (next dev, tests) Next.js pipes it.
 */
export function eventStreamResponse(body: ReadableStream<Uint8Array>, request?: Request): Response {
  const headers = {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store, no-transform',
    // nginx and some other proxies buffer answers unless told not to.
    'X-Accel-Buffering': 'no',
  };
  const detached = (globalThis as unknown as { [DETACHED_BODIES]?: Map<string, ReadableStream<Uint8Array>> })[DETACHED_BODIES];
  const id = request?.headers.get(DETACH_HEADER);
  if (!detached || !id) return new Response(body, { headers });
  detached.set(id, body);
  return new Response(null, { headers });
}
