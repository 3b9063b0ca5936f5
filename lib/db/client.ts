import 'server-only';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { PgPreparedQuery, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/log';
import { sanitizeDatabaseError } from './errors';
import { openPGliteThread } from './pglite-thread';
import * as schema from './schema';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  close: () => Promise<void>;
}

const MIGRATIONS = path.join(process.cwd(), 'lib', 'db', 'migrations');
// Any constant works: it serialises migrations when several app instances start at once.
const MIGRATION_LOCK = 7_236_411;

// A query that cannot reach the server fails after this rather than waiting on TCP for minutes.
const CONNECT_TIMEOUT_MS = 5_000;

const SANITIZED = Symbol.for('guidepost.db.sanitized-errors');

/**
 * Every failed query of this copy of drizzle throws a DatabaseError (codes only) instead of drizzle's
 * own error, whose message lists the query's parameters. Patched once per bundled copy of drizzle.
 */
function sanitizeQueryErrors(): void {
  const prototype = PgPreparedQuery.prototype as unknown as Record<PropertyKey, unknown> & {
    queryWithCache: (this: unknown, ...args: unknown[]) => Promise<unknown>;
  };
  if (prototype[SANITIZED]) return;
  const original = prototype.queryWithCache;
  prototype.queryWithCache = async function queryWithCache(this: unknown, ...args: unknown[]) {
    try {
      return await original.apply(this, args);
    } catch (error) {
      throw sanitizeDatabaseError(error);
    }
  };
  prototype[SANITIZED] = true;
}

/** host:port of a PostgreSQL URL, for messages: never the user, password or database options. */
export function databaseHost(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}`;
  } catch {
    return 'the configured host';
  }
}

/** Opens and migrates a database: PostgreSQL when a URL is given, otherwise PGlite in `pgliteDir` ('memory://' for tests). */
export async function openDatabase(target: { url: string } | { pgliteDir: string }): Promise<DatabaseHandle> {
  sanitizeQueryErrors();
  if ('url' in target) {
    const { Pool } = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    const pool = new Pool({ connectionString: target.url, max: 10, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    // An idle connection the server drops (restart, failover, pg_terminate_backend) is reported here;
    // without a listener it would be an uncaught exception that ends the process. The pool replaces it.
    pool.on('error', (error: Error & { code?: string }) => {
      logger().error({ event: 'db.connection_lost', code: error.code ?? error.name }, 'an idle database connection was closed by the server');
    });
    const client = await pool.connect().catch(async (error: unknown) => {
      await pool.end().catch(() => undefined);
      throw sanitizeDatabaseError(error);
    });
    try {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await migrate(drizzle({ client, schema }), { migrationsFolder: MIGRATIONS });
    } catch (error) {
      throw sanitizeDatabaseError(error);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      client.release();
    }
    let closing: Promise<void> | undefined;
    return { db: drizzle({ client: pool, schema }) as unknown as Database, kind: 'postgres', close: () => (closing ??= pool.end()) };
  }
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  if (!target.pgliteDir.startsWith('memory://')) mkdirSync(target.pgliteDir, { recursive: true });
  // On a thread of its own (lib/db/pglite-thread.ts): its queries no longer hold the thread that renders pages.
  const client = await openPGliteThread(target.pgliteDir);
  const db = drizzle({ client: client as unknown as import('@electric-sql/pglite').PGlite, schema });
  try {
    await migrate(db, { migrationsFolder: MIGRATIONS });
  } catch (error) {
    await client.close();
    throw sanitizeDatabaseError(error);
  }
  let closing: Promise<void> | undefined;
  return { db: db as unknown as Database, kind: 'pglite', close: () => (closing ??= client.close()) };
}

const holder = globalThis as unknown as { __guidepostDb?: Promise<DatabaseHandle> };

/** The process-wide database, opened and migrated on first use (one PGlite per data directory). */
export function getDatabase(): Promise<DatabaseHandle> {
  if (!holder.__guidepostDb) {
    const { database } = getEnv();
    holder.__guidepostDb = openDatabase(database.kind === 'postgres' ? { url: database.url } : { pgliteDir: database.dir });
    holder.__guidepostDb.catch(() => {
      holder.__guidepostDb = undefined;
    });
  }
  return holder.__guidepostDb;
}

export async function getDb(): Promise<Database> {
  return (await getDatabase()).db;
}

/** Closes the process-wide database if it was opened (at shutdown). */
export async function closeDatabase(): Promise<void> {
  const opening = holder.__guidepostDb;
  holder.__guidepostDb = undefined;
  if (!opening) return;
  const handle = await opening.catch(() => undefined);
  await handle?.close();
}

/** Tests swap in their own database. */
export function setDatabaseForTests(handle: DatabaseHandle | undefined): void {
  holder.__guidepostDb = handle ? Promise.resolve(handle) : undefined;
}
