import 'server-only';
import { getEnv } from '@/lib/env';
import { startPollingWorker, type RunningWorker } from '@/lib/jobs/polling-worker';
import { syncDueConsents } from './sync';

// The background refresh, on every instance: each minute it reads the live consents not read for
// BANK_SYNC_INTERVAL_HOURS (6 by default; a user's refresh counts). Two instances never read one consent at once: the
// read's lease on the consent decides.
const POLL_MS = 60_000;

export function startBankSyncWorker(): RunningWorker {
  const intervalMs = getEnv().bankSyncIntervalMs;
  return startPollingWorker({
    name: 'bank_sync',
    pollMs: POLL_MS,
    pass: (isStopping) => syncDueConsents({ intervalMs, max: 50, isStopping }),
    failureCode: (error) => (error instanceof Error ? error.name : 'unknown'),
    startedWith: { intervalHours: intervalMs / 3_600_000 },
  });
}
