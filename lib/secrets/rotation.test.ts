import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyRing } from './aead';
import { resealSource, rotationReport, type SealedSource, type SealedValue } from './rotation';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const SECRET = 'access-token-0123456789';

/** A table in memory: ids in order, a value per id, and a hook that runs between a read and a write. */
function memorySource(rows: Map<string, string>, options: { beforeReplace?: (value: SealedValue) => void } = {}) {
  const writes: string[] = [];
  const source: SealedSource = {
    name: 'things.secret_sealed',
    async next(cursor, limit) {
      const ids = [...rows.keys()]
        .sort()
        .filter((id) => cursor === undefined || id > cursor)
        .slice(0, limit);
      const values = ids.map((id) => ({ id, sealed: rows.get(id)!, aad: `things.secret:${id}` }));
      return { values, cursor: ids.length === limit ? ids.at(-1) : undefined };
    },
    async replace(value, resealed) {
      options.beforeReplace?.(value);
      if (rows.get(value.id) !== value.sealed) return false;
      rows.set(value.id, resealed);
      writes.push(value.id);
      return true;
    },
  };
  return { source, writes };
}

function sealedRows(count: number, key: Buffer, first = 0): Map<string, string> {
  const ring = createKeyRing(key);
  const rows = new Map<string, string>();
  for (let index = first; index < first + count; index += 1) {
    const id = `row-${String(index).padStart(3, '0')}`;
    rows.set(id, ring.seal(`${SECRET}-${id}`, `things.secret:${id}`));
  }
  return rows;
}

describe('resealSource', () => {
  it('re-seals every value under the current key across batches, so the previous key is no longer needed', async () => {
    const rows = new Map([...sealedRows(7, keyA), ...sealedRows(3, keyB, 7)]);
    const { source } = memorySource(rows);

    const tally = await resealSource(source, createKeyRing(keyB, [keyA]), { batchSize: 3 });
    expect(tally).toEqual({ name: 'things.secret_sealed', resealed: 7, current: 3, skipped: 0, unreadable: [] });
    const alone = createKeyRing(keyB);
    for (const [id, sealed] of rows) expect(alone.open(sealed, `things.secret:${id}`)).toEqual({ value: `${SECRET}-${id}`, stale: false });
  });

  it('is safe to run twice: the second run writes nothing', async () => {
    const rows = sealedRows(5, keyA);
    const ring = createKeyRing(keyB, [keyA]);
    await resealSource(memorySource(rows).source, ring, { batchSize: 2 });
    const again = memorySource(rows);
    expect(await resealSource(again.source, ring, { batchSize: 2 })).toMatchObject({ resealed: 0, current: 5 });
    expect(again.writes).toEqual([]);
  });

  it('leaves a value the app wrote again between the read and the write', async () => {
    const rows = sealedRows(2, keyA);
    const ring = createKeyRing(keyB, [keyA]);
    const fresh = ring.seal('written by the app', 'things.secret:row-000');
    const { source } = memorySource(rows, {
      beforeReplace: (value) => {
        if (value.id === 'row-000') rows.set('row-000', fresh);
      },
    });
    expect(await resealSource(source, ring)).toMatchObject({ resealed: 1, skipped: 1 });
    expect(rows.get('row-000')).toBe(fresh);
  });

  it('names what no key opens and leaves it as it is', async () => {
    const rows = new Map([...sealedRows(2, keyA), ...sealedRows(1, randomBytes(32), 2)]);
    rows.set('row-009', `${rows.get('row-000')!}x`);
    const untouched = new Map(rows);
    const { source } = memorySource(rows);
    const tally = await resealSource(source, createKeyRing(keyB, [keyA]));
    expect(tally).toMatchObject({ resealed: 2, unreadable: ['row-002', 'row-009'] });
    expect(rows.get('row-002')).toBe(untouched.get('row-002'));
    expect(rows.get('row-009')).toBe(untouched.get('row-009'));
  });

  it('stops on a failure that is not a bad value', async () => {
    const source: SealedSource = {
      name: 'broken',
      next: async () => {
        throw new Error('connection refused');
      },
      replace: async () => false,
    };
    await expect(resealSource(source, createKeyRing(keyA))).rejects.toThrow('connection refused');
  });
});

describe('rotationReport', () => {
  const tally = (overrides: Partial<Parameters<typeof rotationReport>[0][number]> = {}) => ({
    name: 'things.secret_sealed',
    resealed: 3,
    current: 4,
    skipped: 0,
    unreadable: [] as string[],
    ...overrides,
  });

  it('prints counts per source and says the previous keys can go when nothing is left under them', () => {
    const report = rotationReport([tally(), tally({ name: 'other.sealed', resealed: 0 })]);
    expect(report.ok).toBe(true);
    expect(report.lines[0]).toBe('things.secret_sealed: 3 re-sealed, 4 already current, 0 changed meanwhile, 0 unreadable');
    expect(report.lines.at(-1)).toMatch(/no previous key is needed any more/);
  });

  it('fails naming the source and row of each unreadable value, and keeps the previous keys', () => {
    const report = rotationReport([tally({ unreadable: ['6f0c1a52-8c1e-4c44-9a55-2f2a5f8b8c11'] })]);
    expect(report.ok).toBe(false);
    expect(report.lines).toContain('  unreadable: things.secret_sealed row 6f0c1a52-8c1e-4c44-9a55-2f2a5f8b8c11');
    expect(report.lines.join('\n')).not.toMatch(/no previous key is needed/);
    expect(report.lines.at(-1)).toMatch(/^1 value\(s\) could not be opened/);
  });

  it('lists at most 50 unreadable rows per source', () => {
    const report = rotationReport([tally({ unreadable: Array.from({ length: 60 }, (_, index) => `row-${index}`) })]);
    expect(report.lines.filter((line) => line.startsWith('  unreadable:'))).toHaveLength(50);
    expect(report.lines).toContain('  … and 10 more in things.secret_sealed');
  });

  it('asks for another run when the app wrote values meanwhile', () => {
    const report = rotationReport([tally({ skipped: 2 })]);
    expect(report.ok).toBe(true);
    expect(report.lines.at(-1)).toMatch(/run npm run rotate-keys again/i);
  });
});
