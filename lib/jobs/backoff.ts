// How long a durable queue waits before trying a failed item again (the webhook worker, the mail outbox).

export interface Backoff {
  /** The wait after the first failure. */
  baseMs: number;
  /** Each further failure multiplies the wait by this. */
  factor: number;
  /** The wait never grows beyond this (before jitter). */
  maxMs: number;
}

/** The wait before attempt `attempt + 1`: base × factor^(attempt-1), at most maxMs, ±20 % so failures spread out. */
export function backoffMs(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const delay = Math.min(backoff.baseMs * backoff.factor ** Math.max(0, attempt - 1), backoff.maxMs);
  return Math.round(delay * (0.8 + random() * 0.4));
}
