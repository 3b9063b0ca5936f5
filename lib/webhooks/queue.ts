import 'server-only';
import { createHash } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { getDb } from '@/lib/db/client';
import { webhookEvents } from '@/lib/db/schema';

// The webhook events table is also the queue of the work they ask for. Everything here is one statement
// (no transaction held across a provider call), so it behaves the same on PostgreSQL and PGlite and
// any number of instances can run the worker.

export interface IncomingEvent {
  provider: 'bridge';
  type: string;
  payload: Record<string, unknown>;
  eventTimestamp: Date;
  /** False for an event that asks nothing of us (Bridge sends many we do not act on): it is stored as done. */
  needsWork?: boolean;
}

export type StoreOutcome =
  | { stored: 'new'; id: string }
  // Delivered again while its work is still to do (or dead-lettered): made due now.
  | { stored: 'requeued'; id: string }
  | { stored: 'duplicate'; id: string };

/** JSON with object keys sorted at every depth: the same event re-serialised gives the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** An event's identity: its provider, type, content and timestamp, whatever the bytes or key order. */
export function dedupeKey(provider: string, event: { type: string; content: unknown; timestamp: number }): string {
  const digest = createHash('sha256')
    .update(canonicalJson({ type: event.type, content: event.content, timestamp: event.timestamp }))
    .digest('hex');
  return `${provider}:v2:${digest}`;
}

/**
 * Stores a verified event once. A redelivery of an event whose work is not done yet makes it due at
 * once (a dead-lettered one gets one more attempt); a redelivery of a processed event changes nothing.
 *
 * Deliveries that arrive together are written together (a group commit): the events waiting when a write
 * starts go in one multi-row insert, and each delivery is answered once its own row is committed. On the
 * embedded database every statement holds the process's only thread, so one insert for fifty deliveries
 * instead of fifty is what keeps a burst of webhooks from slowing every page.
 */
export function storeEvent(key: string, event: IncomingEvent): Promise<StoreOutcome> {
  return new Promise<StoreOutcome>((resolve, reject) => {
    const queue = storeQueue();
    queue.waiting.push({ key, event, resolve, reject });
    if (!queue.writing) void writeWaiting(queue);
  });
}

type WaitingStore = { key: string; event: IncomingEvent; resolve: (outcome: StoreOutcome) => void; reject: (error: unknown) => void };
type StoreQueue = { waiting: WaitingStore[]; writing: boolean };

// Per bundle copy of this module (route handlers are bundled apart from pages): each batches its own deliveries.
let queueOfThisCopy: StoreQueue | undefined;
const storeQueue = (): StoreQueue => (queueOfThisCopy ??= { waiting: [], writing: false });

/** Writes what is waiting, then what arrived meanwhile, until nothing waits. */
async function writeWaiting(queue: StoreQueue): Promise<void> {
  queue.writing = true;
  // Let the deliveries of this turn of the event loop join the first write.
  await new Promise((resolve) => setImmediate(resolve));
  try {
    while (queue.waiting.length > 0) {
      const batch = queue.waiting.splice(0, MAX_BATCH);
      await storeBatch(batch).catch((error: unknown) => {
        for (const item of batch) item.reject(error);
      });
    }
  } finally {
    queue.writing = false;
  }
}

// Bridge sends one event per delivery; a burst bigger than this is written in several statements.
const MAX_BATCH = 200;

async function storeBatch(batch: WaitingStore[]): Promise<void> {
  const db = await getDb();
  const firstOfKey = new Map<string, IncomingEvent>();
  for (const { key, event } of batch) if (!firstOfKey.has(key)) firstOfKey.set(key, event);
  const inserted = await db
    .insert(webhookEvents)
    .values(
      [...firstOfKey].map(([key, event]) => ({
        provider: event.provider,
        dedupeKey: key,
        type: event.type,
        payload: event.payload,
        eventTimestamp: event.eventTimestamp,
        // Kept for the record and for de-duplication, but never claimed: there is no work to do.
        ...(event.needsWork === false ? { processedAt: sql`now()` } : {}),
      })),
    )
    .onConflictDoNothing({ target: webhookEvents.dedupeKey })
    .returning({ id: webhookEvents.id, dedupeKey: webhookEvents.dedupeKey });
  const newIds = new Map(inserted.map((row) => [row.dedupeKey, row.id]));
  for (const item of batch) {
    const id = newIds.get(item.key);
    if (id !== undefined) {
      // The first delivery of the key gets "new"; the same event twice in one batch is a redelivery of it.
      newIds.delete(item.key);
      item.resolve({ stored: 'new', id });
    } else {
      await storedBefore(item.key).then(item.resolve, item.reject);
    }
  }
}

/** An event already stored: due again when its work is not done, else a duplicate. */
async function storedBefore(key: string): Promise<StoreOutcome> {
  const db = await getDb();
  const [requeued] = await db
    .update(webhookEvents)
    .set({ nextAttemptAt: sql`now()`, deadAt: null })
    .where(and(eq(webhookEvents.dedupeKey, key), isNull(webhookEvents.processedAt)))
    .returning({ id: webhookEvents.id });
  if (requeued) return { stored: 'requeued', id: requeued.id };
  const [existing] = await db.select({ id: webhookEvents.id }).from(webhookEvents).where(eq(webhookEvents.dedupeKey, key));
  return { stored: 'duplicate', id: existing!.id };
}

export interface ClaimedEvent {
  id: string;
  provider: string;
  type: string;
  payload: Record<string, unknown>;
  /** This claim's attempt number, from 1. */
  attempt: number;
}

/**
 * Takes the oldest due event for one attempt: SKIP LOCKED lets concurrent workers take different
 * events, and the lease (next_attempt_at moved ahead) gives it back if this worker dies before it is done.
 */
export async function claimDueEvent(leaseMs: number): Promise<ClaimedEvent | undefined> {
  const db = await getDb();
  const result = await db.execute(sql`
    update webhook_events
       set attempts = attempts + 1,
           next_attempt_at = now() + ${leaseMs} * interval '1 millisecond'
     where id = (
       select id from webhook_events
        where processed_at is null and dead_at is null and next_attempt_at <= now()
        order by next_attempt_at
        limit 1
        for update skip locked)
       and processed_at is null and dead_at is null
    returning id, provider, type, payload, attempts`);
  const row = (result as unknown as { rows: Array<{ id: string; provider: string; type: string; payload: unknown; attempts: number }> }).rows[0];
  if (!row) return undefined;
  const payload = typeof row.payload === 'string' ? (JSON.parse(row.payload) as Record<string, unknown>) : (row.payload as Record<string, unknown>);
  return { id: row.id, provider: row.provider, type: row.type, payload, attempt: Number(row.attempts) };
}

export async function markProcessed(id: string): Promise<void> {
  const db = await getDb();
  await db
    .update(webhookEvents)
    .set({ processedAt: sql`now()`, lastError: null })
    .where(eq(webhookEvents.id, id));
}

/** Schedules the next attempt after `delayMs`, or dead-letters the event when `dead` is true. */
export async function markFailed(id: string, failure: { code: string; delayMs: number; dead: boolean }): Promise<void> {
  const db = await getDb();
  await db
    .update(webhookEvents)
    .set(
      failure.dead
        ? { lastError: failure.code, deadAt: sql`now()` }
        : { lastError: failure.code, nextAttemptAt: sql`now() + ${failure.delayMs} * interval '1 millisecond'` },
    )
    .where(and(eq(webhookEvents.id, id), isNull(webhookEvents.processedAt)));
}
