import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseError, sanitizeDatabaseError } from './errors';
import { openPGliteThread, type PGliteClient } from './pglite-thread';

// The embedded database on its own thread, as drizzle's PGlite driver uses it: rows come back, errors keep their
// SQLSTATE and constraint (never the values), a transaction is all or nothing and holds other writers off until it
// ends, and a closed database refuses further queries.

describe('PGlite on its own thread', () => {
  let client: PGliteClient;
  beforeAll(async () => {
    client = await openPGliteThread('memory://');
    await client.exec('create table accounts (id int primary key, owner text not null, balance int not null)');
  });
  afterAll(() => client.close());

  it('answers queries with rows, in array mode too, leaving the types drizzle asks for as text', async () => {
    await client.query('insert into accounts values ($1, $2, $3), ($4, $5, $6)', [1, 'alice', 10, 2, 'bob', 20]);
    expect((await client.query('select owner, balance from accounts order by id')).rows).toEqual([
      { owner: 'alice', balance: 10 },
      { owner: 'bob', balance: 20 },
    ]);
    expect((await client.query('select owner from accounts where id = $1', [2], { rowMode: 'array' })).rows).toEqual([['bob']]);
    const at = await client.query<{ at: unknown }>(`select timestamptz '2026-11-28 10:00:00+00' as at`, [], { parsers: { 1184: (value) => value } });
    expect(typeof at.rows[0]!.at).toBe('string');
    const parsed = await client.query<{ at: unknown }>(`select timestamptz '2026-11-28 10:00:00+00' as at`);
    expect(parsed.rows[0]!.at).toBeInstanceOf(Date);
  });

  it('reports a failed statement with its SQLSTATE and constraint only', async () => {
    const failure = await client.query('insert into accounts values ($1, $2, $3)', [1, 'mallory-secret-value', 0]).catch((error: unknown) => error);
    const sanitized = sanitizeDatabaseError(failure);
    expect(isDatabaseError(sanitized, '23505')).toBe(true);
    expect(sanitized.constraint).toBe('accounts_pkey');
    expect(JSON.stringify(failure)).not.toContain('mallory-secret-value');
    expect(String((failure as Error).message)).not.toContain('mallory-secret-value');
  });

  it('commits a transaction whole, rolls one back whole, and keeps others out until it ends', async () => {
    await client.transaction(async (tx) => {
      await tx.query('update accounts set balance = balance - 5 where id = 1');
      await tx.query('update accounts set balance = balance + 5 where id = 2');
    });
    const failed = client.transaction(async (tx) => {
      await tx.query('update accounts set balance = balance - 100 where id = 1');
      throw new Error('refused');
    });
    await expect(failed).rejects.toThrow('refused');
    expect((await client.query('select balance from accounts order by id', [], { rowMode: 'array' })).rows).toEqual([[5], [25]]);

    // A write from outside waits for the open transaction, and sees what it committed.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const order: string[] = [];
    const transaction = client.transaction(async (tx) => {
      await tx.query('update accounts set balance = 0 where id = 1');
      await held;
      order.push('transaction');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const outside = client.query('update accounts set balance = balance + 1 where id = 1').then(() => order.push('outside'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(order).toEqual([]);
    release();
    await Promise.all([transaction, outside]);
    expect(order).toEqual(['transaction', 'outside']);
    expect((await client.query('select balance from accounts where id = 1', [], { rowMode: 'array' })).rows).toEqual([[1]]);
  });

  it('refuses queries once closed', async () => {
    const other = await openPGliteThread('memory://');
    await other.close();
    const failure = await other.query('select 1').catch((error: unknown) => error);
    expect(isDatabaseError(sanitizeDatabaseError(failure), '57P01')).toBe(true);
  });
});
