import 'server-only';
import { logger } from '@/lib/log';

// The loop behind each durable queue (webhook events, the mail outbox): it runs on every instance, and the
// queue's claims (FOR UPDATE SKIP LOCKED plus a lease) make sure one item is worked on by one worker at a time.

/** Claims and handles due items one after another, until none is due, `max` were taken or the worker stops; returns how many. */
export async function drainDue<T>(
  claim: () => Promise<T | undefined>,
  handle: (item: T) => Promise<void>,
  options: { max?: number; isStopping?: () => boolean } = {},
): Promise<number> {
  const max = options.max ?? 100;
  let count = 0;
  while (count < max && !options.isStopping?.()) {
    const item = await claim();
    if (item === undefined) break;
    count++;
    await handle(item);
  }
  return count;
}

export interface RunningWorker {
  /** Takes no new item, waits for the one in hand, then resolves. */
  stop(): Promise<void>;
}

export interface PollingWorkerOptions {
  /** Names the log lines: `<name>.worker_started`, `<name>.worker_pass_failed`, `<name>.worker_stopped`. */
  name: string;
  pollMs: number;
  /** One pass over what is due; it should stop taking items once isStopping() is true. */
  pass: (isStopping: () => boolean) => Promise<unknown>;
  /** A short code for a failed pass (never a message: it could quote a value). */
  failureCode: (error: unknown) => string;
  /** More fields for the start line (the settings). */
  startedWith?: Record<string, unknown>;
}

/** A pass at once (work left by a previous process), then one `pollMs` after each pass ends. A failed pass is logged and retried at the next poll. */
export function startPollingWorker(options: PollingWorkerOptions): RunningWorker {
  const { name, pollMs } = options;
  let stopping = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pass: Promise<void> | undefined;

  function run(): void {
    if (stopping) return;
    pass = options
      .pass(() => stopping)
      .then(() => undefined)
      .catch((error: unknown) => {
        logger().error({ event: `${name}.worker_pass_failed`, code: options.failureCode(error) }, `${name} worker pass failed; retrying at the next poll`);
      })
      .finally(() => {
        pass = undefined;
        if (stopping) return;
        timer = setTimeout(run, pollMs);
        timer.unref();
      });
  }

  run();
  logger().info({ event: `${name}.worker_started`, pollMs, ...options.startedWith }, `${name} worker started`);
  return {
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await pass;
      logger().info({ event: `${name}.worker_stopped` }, `${name} worker stopped`);
    },
  };
}
