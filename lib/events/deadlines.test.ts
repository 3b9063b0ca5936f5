import { describe, expect, it } from 'vitest';
import { runAt } from './deadlines';

// Streams' session deadlines on one shared timer: each runs at its time, in order, once; a cancelled one never runs.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('shared deadlines', () => {
  it('runs each deadline at its time, earliest first, and never a cancelled one', async () => {
    const ran: string[] = [];
    const now = Date.now();
    runAt(new Date(now + 120), () => ran.push('late'));
    const cancel = runAt(new Date(now + 60), () => ran.push('cancelled'));
    runAt(new Date(now + 30), () => ran.push('early'));
    runAt(new Date(now - 1_000), () => ran.push('past'));
    cancel();
    await sleep(10);
    expect(ran).toEqual(['past']);
    await sleep(60);
    expect(ran).toEqual(['past', 'early']);
    await sleep(100);
    expect(ran).toEqual(['past', 'early', 'late']);
  });
});
