import 'server-only';
import { EnvError, getEnv } from '@/lib/env';
import { getDatabase } from '@/lib/db/client';
import { logger } from '@/lib/log';

/** Runs once when the server starts: checks configuration, then opens and migrates the database. */
export async function startup(): Promise<void> {
  let env;
  try {
    env = getEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      // Plain stderr: the logger itself depends on a valid configuration.
      console.error(`Guidepost cannot start.\n${error.message}\nSee .env.example for every variable.`);
      process.exit(1);
    }
    throw error;
  }
  const log = logger();
  if (env.generatedSecrets) {
    log.warn(
      { event: 'config.generated_secrets' },
      'AUTH_SECRET and/or ENCRYPTION_KEY are not set: using development secrets generated in .data/. Set both for any real deployment.',
    );
  }
  const simulated = [env.bridge.sandbox && 'bridge', env.finqware.sandbox && 'finqware'].filter(Boolean);
  if (simulated.length > 0) log.warn({ event: 'config.sandbox', providers: simulated }, 'provider sandbox is on: provider calls go to the built-in simulators');
  const database = await getDatabase();
  log.info({ event: 'startup.ready', database: database.kind }, 'database ready');
}
