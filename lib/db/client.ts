import 'server-only';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { getEnv } from '@/lib/env';
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

/** Opens and migrates a database: PostgreSQL when a URL is given, otherwise PGlite in `pgliteDir` ('memory://' for tests). */
export async function openDatabase(target: { url: string } | { pgliteDir: string }): Promise<DatabaseHandle> {
  if ('url' in target) {
    const { Pool } = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    const pool = new Pool({ connectionString: target.url, max: 10 });
    const client = await pool.connect();
    try {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await migrate(drizzle({ client, schema }), { migrationsFolder: MIGRATIONS });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      client.release();
    }
    return { db: drizzle({ client: pool, schema }) as unknown as Database, kind: 'postgres', close: () => pool.end() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  if (!target.pgliteDir.startsWith('memory://')) mkdirSync(target.pgliteDir, { recursive: true });
  const client = await PGlite.create(target.pgliteDir);
  const db = drizzle({ client, schema });
  await migrate(db, { migrationsFolder: MIGRATIONS });
  return { db: db as unknown as Database, kind: 'pglite', close: () => client.close() };
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

/** Tests swap in their own database. */
export function setDatabaseForTests(handle: DatabaseHandle | undefined): void {
  holder.__guidepostDb = handle ? Promise.resolve(handle) : undefined;
}
