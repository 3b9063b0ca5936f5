import { createHash } from 'node:crypto';

// The sandbox bank's data is derived, not stored: every id, amount and label is a hash of stable seeds
// (the tenant user, the account, the day), so the same seeds give the same data in every sandbox.

export function digestOf(...parts: string[]): Buffer {
  return createHash('sha256').update(parts.join('\u0000')).digest();
}

/** A stable UUID-shaped id from a digest. */
export function uuidOf(digest: Buffer): string {
  const hex = digest.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** An endless stream of unsigned 32-bit draws from the digests of `parts`, the same stream for the same parts. */
export function drawsOf(...parts: string[]): () => number {
  let block = 0;
  let digest = digestOf(...parts, String(block));
  let offset = 0;
  return () => {
    if (offset === digest.length) {
      digest = digestOf(...parts, String(++block));
      offset = 0;
    }
    const value = digest.readUInt32BE(offset);
    offset += 4;
    return value;
  };
}

/** A whole number in [min, max] from a draw. */
export function between(draw: () => number, min: number, max: number): number {
  return min + (draw() % (max - min + 1));
}

/** One of `items` from a draw. */
export function oneOf<T>(draw: () => number, items: readonly T[]): T {
  return items[draw() % items.length]!;
}

/** Money as Finqware writes it [doc]: a decimal string ≥ 0 and the side it is on. Whole cents, never a float. */
export function money(cents: number): { amount: string; indicator: 'credit' | 'debit' } {
  return { amount: decimal(Math.abs(cents)), indicator: cents < 0 ? 'debit' : 'credit' };
}

/** Cents as a decimal string with two places, a leading minus below zero. */
export function decimal(cents: number): string {
  const whole = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(whole / 100)}.${String(whole % 100).padStart(2, '0')}`;
}
