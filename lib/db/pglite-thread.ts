import 'server-only';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { logger } from '@/lib/log';

// The embedded PGlite on a thread of its own (lib/db/pglite-worker.mjs): WebAssembly PostgreSQL runs a query in the
// thread that calls it, so in the server's own thread every statement held up every page being rendered. Here each
// query crosses to the database's thread and its rows come back, and the server's thread renders meanwhile (2 cores:
// two threads busy instead of one). This object is what drizzle's PGlite driver calls: `query`, `exec` and
// `transaction`, the last holding one transaction open on the other side until its callback ends.

const WORKER = path.join(process.cwd(), 'lib', 'db', 'pglite-worker.mjs');

interface QueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, (value: string) => unknown>;
}

interface Results {
  rows: unknown[];
  affectedRows?: number;
  fields: Array<{ name: string; dataTypeID: number }>;
}

/** A query's failure as the database's thread reported it: the name and identifiers of the driver's error. */
class PGliteThreadError extends Error {
  readonly code?: string;
  readonly constraint?: string;
  constructor(fields: Record<string, string>) {
    super(`PGlite query failed${fields.code ? ` (${fields.code})` : ''}`);
    this.name = fields.name ?? 'Error';
    Object.assign(this, fields);
  }
}

type Reply = { id: number; result?: unknown; error?: Record<string, string> };

export interface PGliteClient {
  query<T = unknown>(text: string, params?: unknown[], options?: QueryOptions): Promise<Results & { rows: T[] }>;
  exec(text: string): Promise<Results[]>;
  transaction<T>(callback: (tx: Omit<PGliteClient, 'transaction' | 'close'>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Only drizzle's parsers cross as the list of types they leave as text: they are all `(value) => value` (its dates
 * and intervals are mapped by the schema's columns instead).
 */
function sendable(options?: QueryOptions) {
  if (!options) return undefined;
  return { rowMode: options.rowMode, rawTypes: options.parsers ? Object.keys(options.parsers).map(Number) : undefined };
}

/** Opens PGlite in `dataDir` ('memory://' for tests) on its own thread. */
export async function openPGliteThread(dataDir: string): Promise<PGliteClient> {
  const worker = new Worker(WORKER, { workerData: { dataDir } });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  let nextId = 1;
  let failure: Error | undefined;

  // The thread keeps the process alive only while a call waits for it.
  const settle = () => {
    if (waiting.size === 0) worker.unref();
  };
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', () => resolve());
  });
  worker.unref();
  worker.on('message', (reply: Reply) => {
    const call = waiting.get(reply.id);
    if (!call) return;
    waiting.delete(reply.id);
    settle();
    if (reply.error) call.reject(new PGliteThreadError(reply.error));
    else call.resolve(reply.result);
  });
  const failAll = (error: Error) => {
    failure = error;
    for (const call of waiting.values()) call.reject(error);
    waiting.clear();
  };
  // The database's thread died (out of memory, a WebAssembly fault): every query fails from now on, as with a server
  // that went away; the process's health check reports it and the process is to be restarted.
  worker.on('error', (error) => {
    logger().error({ event: 'db.pglite_thread_failed', error: error.name }, 'the embedded database stopped');
    failAll(new PGliteThreadError({ name: 'PGliteThreadFailed', code: 'ECONNRESET' }));
  });
  worker.on('exit', () => failAll(new PGliteThreadError({ name: 'PGliteThreadClosed', code: '57P01' })));

  function call<T>(message: Record<string, unknown>): Promise<T> {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.ref();
      worker.postMessage({ ...message, id });
    });
  }

  const on = (tx?: number) => ({
    query: <T>(text: string, params: unknown[] = [], options?: QueryOptions) =>
      call<Results & { rows: T[] }>({ op: 'query', text, params, options: sendable(options), tx }),
    exec: (text: string) => call<Results[]>({ op: 'exec', text, tx }),
  });

  let closing: Promise<void> | undefined;
  return {
    ...on(),
    async transaction<T>(callback: (tx: ReturnType<typeof on>) => Promise<T>): Promise<T> {
      const tx = await call<number>({ op: 'begin' });
      let result: T;
      try {
        result = await callback(on(tx));
      } catch (error) {
        await call({ op: 'end', tx, commit: false }).catch(() => undefined);
        throw error;
      }
      await call({ op: 'end', tx, commit: true });
      return result;
    },
    close: () =>
      (closing ??= (async () => {
        if (!failure) await call({ op: 'close' }).catch(() => undefined);
        await worker.terminate();
      })()),
  } as PGliteClient;
}
