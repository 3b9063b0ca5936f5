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
 */
export async function storeEvent(key: string, event: IncomingEvent): Promise<StoreOutcome> {
  const db = await getDb();
  const [stored] = await db
    .insert(webhookEvents)
    .values({ provider: event.provider, dedupeKey: key, type: event.type, payload: event.payload, eventTimestamp: event.eventTimestamp })
    .onConflictDoNothing({ target: webhookEvents.dedupeKey })
    .returning({ id: webhookEvents.id });
  if (stored) return { stored: 'new', id: stored.id };
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
