import 'server-only';
import { isBridgeError } from '@/lib/bridge/errors';
import { parseBridgeWebhook } from '@/lib/bridge/webhook-events';
import { isDatabaseError } from '@/lib/db/errors';
import { getEnv } from '@/lib/env';
import { backoffMs } from '@/lib/jobs/backoff';
import { drainDue, startPollingWorker, type RunningWorker } from '@/lib/jobs/polling-worker';
import { logger } from '@/lib/log';
import { handleBridgeEvent } from './bridge-events';
import { claimDueEvent, markFailed, markProcessed, type ClaimedEvent } from './queue';

// Processes stored webhook events until none is due. Runs on every instance (a loop started at server
// start, lib/jobs/polling-worker.ts) and right after a delivery is answered; claims make sure one event is
// worked on by one worker at a time. An event that keeps failing is retried with exponential backoff, then
// dead-lettered.

export interface WorkerSettings {
  maxAttempts: number;
  retryBaseMs: number;
  leaseMs: number;
  pollMs: number;
}

export type EventHandler = (claimed: ClaimedEvent) => Promise<void>;

const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

function workerSettings(): WorkerSettings {
  return getEnv().webhooks;
}

/** The wait before attempt `attempt + 1`: base × 2^(attempt-1), at most an hour, ±20 % so failures spread out. */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  return backoffMs(attempt, { baseMs, factor: 2, maxMs: MAX_RETRY_DELAY_MS }, random);
}

/** A short code for what went wrong: logged and stored, never a message or a value from the payload. */
export function failureCode(error: unknown): string {
  if (isBridgeError(error)) return `bridge:${error.code}`;
  if (isDatabaseError(error)) return `database:${error.code ?? 'unknown'}`;
  return error instanceof Error ? error.name : 'unknown';
}

/** What each provider's events ask for. */
const handleStoredEvent: EventHandler = async (claimed) => {
  if (claimed.provider !== 'bridge') throw new Error(`no handler for ${claimed.provider} events`);
  const parsed = parseBridgeWebhook(JSON.stringify(claimed.payload));
  if (!parsed.ok) throw new Error('stored event no longer parses');
  await handleBridgeEvent(claimed.id, parsed.event);
};

async function processOne(claimed: ClaimedEvent, settings: WorkerSettings, handle: EventHandler): Promise<void> {
  try {
    await handle(claimed);
  } catch (error) {
    const code = failureCode(error);
    const dead = claimed.attempt >= settings.maxAttempts;
    const delayMs = retryDelayMs(claimed.attempt, settings.retryBaseMs);
    await markFailed(claimed.id, { code, delayMs, dead });
    if (dead) {
      logger().error(
        { event: 'webhook.dead_letter', eventId: claimed.id, provider: claimed.provider, type: claimed.type, attempts: claimed.attempt, lastError: code },
        'webhook event dead-lettered: every attempt failed; it runs again only if the provider delivers it again',
      );
    } else {
      logger().warn(
        { event: 'webhook.retry_scheduled', eventId: claimed.id, type: claimed.type, attempt: claimed.attempt, lastError: code, retryInMs: delayMs },
        'webhook event processing failed; retrying later',
      );
    }
    return;
  }
  await markProcessed(claimed.id);
}

/** Claims and processes due events one after another, until none is due or `max` were taken; returns how many. */
export async function processDueEvents(
  options: { max?: number; settings?: WorkerSettings; handle?: EventHandler; isStopping?: () => boolean } = {},
): Promise<number> {
  const settings = options.settings ?? workerSettings();
  const handle = options.handle ?? handleStoredEvent;
  return drainDue(
    () => claimDueEvent(settings.leaseMs),
    (claimed) => processOne(claimed, settings, handle),
    { max: options.max, isStopping: options.isStopping },
  );
}

// This copy of the module's pass after deliveries, if one is running, and whether more were delivered since it began.
let afterDeliveries: { pass: Promise<void>; again: boolean } | undefined;

/**
 * After a delivery is answered: a pass over what is due, unless one is running in this process already, which
 * then makes one more round for what was stored since it began. A burst of deliveries gets one worker, not one
 * each (they would only race for the same events); `onFailure` hears of a failed round.
 */
export function processAfterDelivery(
  onFailure: (error: unknown) => void,
  options: { max?: number; settings?: WorkerSettings; handle?: EventHandler } = {},
): Promise<void> {
  if (afterDeliveries) {
    afterDeliveries.again = true;
    return afterDeliveries.pass;
  }
  const state = { again: true, pass: Promise.resolve() };
  state.pass = (async () => {
    try {
      while (state.again) {
        state.again = false;
        await processDueEvents({ max: 100, ...options }).catch(onFailure);
      }
    } finally {
      afterDeliveries = undefined;
    }
  })();
  afterDeliveries = state;
  return state.pass;
}

/** The polling loop: a pass at once (events left by a previous process), then every `pollMs`. Failures of a pass are logged and retried at the next. */
export function startWebhookWorker(options: { settings?: WorkerSettings; handle?: EventHandler } = {}): RunningWorker {
  const settings = options.settings ?? workerSettings();
  return startPollingWorker({
    name: 'webhook',
    pollMs: settings.pollMs,
    pass: (isStopping) => processDueEvents({ settings, handle: options.handle, isStopping }),
    failureCode,
    startedWith: { maxAttempts: settings.maxAttempts },
  });
}
