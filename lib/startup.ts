import 'server-only';
import { scrubConsole } from '@/lib/console-scrub';
import { getEnv, isEnvError } from '@/lib/env';
import { closeDatabase, databaseHost, getDatabase } from '@/lib/db/client';
import { closeEventBus, eventBus } from '@/lib/events/process-bus';
import { logger } from '@/lib/log';
import { closeRedis } from '@/lib/redis';
import { rememberConfiguredSecrets } from '@/lib/secrets/known';
import { onShutdown } from '@/lib/shutdown';
import { startBankSyncWorker } from '@/lib/bank-data/worker';
import { startMailWorker } from '@/lib/mail/outbox-worker';
import { startMaintenance } from '@/lib/maintenance';
import { startWebhookWorker } from '@/lib/webhooks/worker';

const STARTED = Symbol.for('guidepost.background-work-started');

/** One line on stderr and exit 1: the logger itself may depend on what failed. */
function cannotStart(reason: string): never {
  console.error(`Guidepost cannot start: ${reason}`);
  process.exit(1);
}

function errorCode(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
  return code ?? (error instanceof Error ? error.name : 'unknown error');
}

/**
 * Runs once when the server starts: checks configuration, opens and migrates the database (or exits
 * non-zero naming it), then starts the webhook and mail workers and the maintenance sweeps, and registers
 * how to stop them at shutdown.
 */
export async function startup(): Promise<void> {
  let env;
  try {
    env = getEnv();
  } catch (error) {
    if (isEnvError(error)) cannotStart(`${error.message}\nSee .env.example for every variable.`);
    throw error;
  }
  // Before anything else can print: Next.js's own error output goes through the console.
  rememberConfiguredSecrets(env);
  scrubConsole();
  const log = logger();
  if (env.generatedSecrets) {
    log.warn(
      { event: 'config.generated_secrets' },
      'AUTH_SECRET and/or ENCRYPTION_KEY are not set: using development secrets generated in .data/. Set both for any real deployment.',
    );
  }
  const simulated = [env.bridge.sandbox && 'bridge', env.finqware.sandbox && 'finqware'].filter(Boolean);
  if (simulated.length > 0) log.warn({ event: 'config.sandbox', providers: simulated }, 'provider sandbox is on: provider calls go to the built-in simulators');

  let database;
  try {
    database = await getDatabase();
  } catch (error) {
    const where = env.database.kind === 'postgres' ? `the database at ${databaseHost(env.database.url)}` : `the embedded database in ${env.database.dir}`;
    cannotStart(`${where} could not be opened (${errorCode(error)}).`);
  }
  log.info({ event: 'startup.ready', database: database.kind }, 'database ready');

  // Once per process, even if the instrumentation hook runs again (development reloads).
  const started = globalThis as unknown as { [STARTED]?: boolean };
  if (started[STARTED]) return;
  started[STARTED] = true;
  // Registered first, so stopped last: the worker and sweeps stop before the connections close.
  onShutdown('database', closeDatabase);
  onShutdown('redis', closeRedis);
  // Listening from the start, so the first tab's stream does not wait for the bus's connection; closed before Redis.
  void eventBus().catch(() => undefined);
  onShutdown('event-bus', closeEventBus);
  const worker = startWebhookWorker();
  onShutdown('webhook-worker', () => worker.stop());
  const mailWorker = startMailWorker();
  onShutdown('mail-worker', () => mailWorker.stop());
  const bankSync = startBankSyncWorker();
  onShutdown('bank-sync-worker', () => bankSync.stop());
  const maintenance = startMaintenance();
  onShutdown('maintenance', () => maintenance.stop());
}
