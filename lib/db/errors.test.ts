import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds } from '@/test/databases';
import { isDatabaseError } from './errors';
import { users } from './schema';

/** Every way an error ends up in front of someone: its message, String(), a full inspect, and JSON. */
function renderings(error: unknown): string[] {
  return [
    error instanceof Error ? error.message : '',
    String(error),
    inspect(error, { depth: Infinity, showHidden: true }),
    JSON.stringify(error),
    error instanceof Error ? (error.stack ?? '') : '',
  ];
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error === undefined) throw new Error('the query was expected to fail');
  return error;
}

// SQL text drizzle would have put in its message.
const SQL_FRAGMENTS = [/insert into/i, /select .* from/i, /"users"/, /\$1/, /params/i];

describe.each(databaseKinds)('failed queries on %s', (kind) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database.drop();
  });

  function expectNothingOf(error: unknown, values: string[]): void {
    for (const text of renderings(error)) {
      for (const value of values) expect(text).not.toContain(value);
      for (const fragment of SQL_FRAGMENTS) expect(text).not.toMatch(fragment);
    }
  }

  it('a duplicate email keeps the SQLSTATE and constraint, and neither the email nor the SQL', async () => {
    const email = `secret-person-${randomBytes(6).toString('hex')}@example.com`;
    const passwordHash = `$argon2id$v=19$m=19456,t=2,p=1$${randomBytes(12).toString('base64')}`;
    await database.db.insert(users).values({ email, passwordHash });
    const error = await failureOf(database.db.insert(users).values({ email, passwordHash }));

    expect(isDatabaseError(error)).toBe(true);
    expect(isDatabaseError(error, '23505')).toBe(true);
    expect(isDatabaseError(error, '22P02')).toBe(false);
    expect(error).toMatchObject({ code: '23505', constraint: 'users_email_unique' });
    expect(String(error)).toContain('23505');
    expectNothingOf(error, [email, passwordHash, 'Key (email)']);
  });

  it('a malformed uuid keeps 22P02 and not the text it was given', async () => {
    const bad = `not-a-uuid-${randomBytes(4).toString('hex')}`;
    const error = await failureOf(database.db.select().from(users).where(eq(users.id, bad)));
    expect(isDatabaseError(error, '22P02')).toBe(true);
    expect((error as { constraint?: string }).constraint).toBeUndefined();
    expectNothingOf(error, [bad]);
  });

  it('a raw statement and a statement in a transaction fail the same way', async () => {
    const bad = `also-not-a-uuid-${randomBytes(4).toString('hex')}`;
    const raw = await failureOf(database.db.execute(sql`select * from users where id = ${bad}`));
    expect(isDatabaseError(raw, '22P02')).toBe(true);
    expectNothingOf(raw, [bad]);

    const email = `in-transaction-${randomBytes(6).toString('hex')}@example.com`;
    const inTransaction = await failureOf(
      database.db.transaction(async (tx) => {
        await tx.insert(users).values({ email, passwordHash: 'unused' });
        await tx.insert(users).values({ email, passwordHash: 'unused' });
      }),
    );
    expect(isDatabaseError(inTransaction, '23505')).toBe(true);
    expectNothingOf(inTransaction, [email]);
    // Rolled back: the first insert is gone too.
    expect(await database.db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
  });
});
