import 'server-only';
import { sql } from 'drizzle-orm';
import { getDatabase } from '@/lib/db/client';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/log';

export interface HealthReport {
  status: 'ok' | 'degraded';
  database: { kind: 'pglite' | 'postgres'; ok: boolean };
  providers: { bridge: 'sandbox' | 'live'; finqware: 'sandbox' | 'live' };
}

// A health probe must answer even when the database hangs (pg waits on TCP without a connect timeout).
const DATABASE_TIMEOUT_MS = 5_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function databaseOk(timeoutMs: number): Promise<boolean> {
  try {
    await withTimeout(
      getDatabase().then(({ db }) => db.execute(sql`select 1`)),
      timeoutMs,
    );
    return true;
  } catch (error) {
    // Error name and code only: messages can name hosts, users or connection strings.
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
    logger().warn({ error: error instanceof Error ? error.name : 'unknown', code }, 'health: database check failed');
    return false;
  }
}

/** What GET /api/health reports: 200 when the database answers, 503 otherwise. Never includes error text. */
export async function checkHealth(options: { timeoutMs?: number } = {}): Promise<{ httpStatus: 200 | 503; report: HealthReport }> {
  const env = getEnv();
  const ok = await databaseOk(options.timeoutMs ?? DATABASE_TIMEOUT_MS);
  const report: HealthReport = {
    status: ok ? 'ok' : 'degraded',
    database: { kind: env.database.kind, ok },
    providers: { bridge: env.bridge.sandbox ? 'sandbox' : 'live', finqware: env.finqware.sandbox ? 'sandbox' : 'live' },
  };
  return { httpStatus: ok ? 200 : 503, report };
}
