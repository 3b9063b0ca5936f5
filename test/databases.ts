import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, setDatabaseForTests, type DatabaseHandle } from '@/lib/db/client';
import { users } from '@/lib/db/schema';

export interface TestDatabase extends DatabaseHandle {
  name: string;
}

/**
 * The databases every database test runs against: PGlite always, PostgreSQL too when DATABASE_URL is set.
 * Each test file gets a database of its own, created here and dropped by `drop()`.
 */
export const databaseKinds: Array<'pglite' | 'postgres'> = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export async function createTestDatabase(kind: 'pglite' | 'postgres'): Promise<TestDatabase & { drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const handle = await openDatabase({ pgliteDir: 'memory://' });
    return { ...handle, name: 'pglite-memory', drop: () => handle.close() };
  }
  const { Client } = await import('pg');
  const adminUrl = process.env.DATABASE_URL!;
  const name = `guidepost_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString() });
  return {
    ...handle,
    name,
    drop: async () => {
      await handle.close();
      const cleanup = new Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** A bare user row for tests that need an owner but not a login (the password hash is never checked). */
export async function insertUser(handle: DatabaseHandle): Promise<string> {
  const [user] = await handle.db
    .insert(users)
    .values({ email: `user-${randomBytes(6).toString('hex')}@example.com`, passwordHash: 'unused' })
    .returning({ id: users.id });
  return user!.id;
}

/**
 * In a describe block: a database of this kind for its tests, made the process-wide one before them and
 * dropped after. The returned handle is filled in by the time the tests run.
 */
export function useTestDatabase(kind: 'pglite' | 'postgres'): TestDatabase & { drop: () => Promise<void> } {
  const handle = {} as TestDatabase & { drop: () => Promise<void> };
  beforeAll(async () => {
    Object.assign(handle, await createTestDatabase(kind));
    setDatabaseForTests(handle);
  });
  afterAll(async () => {
    setDatabaseForTests(undefined);
    await handle.drop();
  });
  return handle;
}
