import 'server-only';
import { isSecretTamperedError, type KeyRing } from './aead';

// After a key rotation, every value at rest is sealed again under the current key, wherever it is kept
// (a database column, Redis entries). Each value is replaced only if it is still the one read
// (compare-and-set), so a write by the running app in between is never overwritten with older data,
// and running twice is harmless: the second run finds everything current.

export interface SealedValue {
  /** Names the row or entry in reports: ids only, never a secret. */
  id: string;
  sealed: string;
  /** The associated data the value was sealed with. */
  aad: string;
}

/** Where sealed values are kept, read in batches. */
export interface SealedSource {
  /** What reports call it, e.g. `onboardings.nonce_sealed`. */
  readonly name: string;
  /** The batch after cursor (undefined: the first one) and the cursor of the next batch, undefined after the last. */
  next(cursor: string | undefined, limit: number): Promise<{ values: SealedValue[]; cursor: string | undefined }>;
  /** Stores resealed in place of value.sealed if value.sealed is still what is stored; false otherwise. */
  replace(value: SealedValue, resealed: string): Promise<boolean>;
}

/** A sealed column of a table keyed by one uuid, read in id order (null values are skipped). */
export function uuidKeyedColumn(
  name: string,
  where: (id: string) => string,
  list: (after: string | undefined, limit: number) => Promise<Array<{ id: string; sealed: string | null }>>,
  /** Replaces `from` by `to` in one statement, only if `from` is still stored; returns the rows written. */
  replace: (id: string, from: string, to: string) => Promise<unknown[]>,
): SealedSource {
  return {
    name,
    async next(cursor, limit) {
      const rows = await list(cursor, limit);
      return {
        values: rows.flatMap((row) => (row.sealed === null ? [] : [{ id: row.id, sealed: row.sealed, aad: where(row.id) }])),
        cursor: rows.length === limit ? rows.at(-1)!.id : undefined,
      };
    },
    replace: async (value, resealed) => (await replace(value.id, value.sealed, resealed)).length === 1,
  };
}

export interface ResealTally {
  name: string;
  /** Opened under an older key (or in the older v1 format) and written back under the current key. */
  resealed: number;
  /** Already sealed under the current key. */
  current: number;
  /** Written again, deleted or expired by the app between our read and our write: left as the app made it. */
  skipped: number;
  /** Ids of the values no key of the ring opens, left as they are. */
  unreadable: string[];
}

export async function resealSource(source: SealedSource, ring: KeyRing, options: { batchSize?: number } = {}): Promise<ResealTally> {
  const batchSize = options.batchSize ?? 200;
  const tally: ResealTally = { name: source.name, resealed: 0, current: 0, skipped: 0, unreadable: [] };
  let cursor: string | undefined;
  do {
    const batch = await source.next(cursor, batchSize);
    for (const value of batch.values) {
      let opened;
      try {
        opened = ring.open(value.sealed, value.aad);
      } catch (error) {
        if (!isSecretTamperedError(error)) throw error;
        tally.unreadable.push(value.id);
        continue;
      }
      if (!opened.stale) tally.current += 1;
      else if (await source.replace(value, ring.seal(opened.value, value.aad))) tally.resealed += 1;
      else tally.skipped += 1;
    }
    cursor = batch.cursor;
  } while (cursor !== undefined);
  return tally;
}

const LISTED_PER_SOURCE = 50;

/** What `npm run rotate-keys` prints: counts and ids, never a value. ok is false when anything could not be opened. */
export function rotationReport(tallies: ResealTally[]): { lines: string[]; ok: boolean } {
  const lines: string[] = [];
  let unreadable = 0;
  let skipped = 0;
  for (const tally of tallies) {
    lines.push(
      `${tally.name}: ${tally.resealed} re-sealed, ${tally.current} already current, ${tally.skipped} changed meanwhile, ${tally.unreadable.length} unreadable`,
    );
    for (const id of tally.unreadable.slice(0, LISTED_PER_SOURCE)) lines.push(`  unreadable: ${tally.name} row ${id}`);
    if (tally.unreadable.length > LISTED_PER_SOURCE) lines.push(`  … and ${tally.unreadable.length - LISTED_PER_SOURCE} more in ${tally.name}`);
    unreadable += tally.unreadable.length;
    skipped += tally.skipped;
  }
  if (unreadable > 0) {
    lines.push(
      `${unreadable} value(s) could not be opened with ENCRYPTION_KEY or any key in ENCRYPTION_KEYS_PREVIOUS and were left as they are. ` +
        'Add the key they were sealed with to ENCRYPTION_KEYS_PREVIOUS and run again; do not remove a previous key until this reports none.',
    );
  } else if (skipped > 0) {
    lines.push(
      `${skipped} value(s) were written again by the app while this ran. Run npm run rotate-keys again to confirm nothing is left under a previous key.`,
    );
  } else {
    lines.push('Every stored secret is sealed under the current ENCRYPTION_KEY: no previous key is needed any more.');
  }
  return { lines, ok: unreadable === 0 };
}
