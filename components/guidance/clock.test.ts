import { describe, expect, it } from 'vitest';
import { currentSecond, hasPassed, timeLeft } from './clock';

describe('the countdown clock', () => {
  it('reads time in whole seconds, so every read within a second agrees', () => {
    expect(currentSecond(1_700_000_000_999)).toBe(1_700_000_000_000);
    expect(currentSecond(1_700_000_000_000)).toBe(1_700_000_000_000);
  });

  it('shows the time left as m:ss, rounded up, never below zero', () => {
    const until = Date.parse('2026-03-01T10:30:00Z');
    expect(timeLeft(until, until - 30 * 60_000)).toEqual({ minutes: 30, seconds: 0, text: '30:00' });
    expect(timeLeft(until, until - 65_500)).toEqual({ minutes: 1, seconds: 6, text: '1:06' });
    expect(timeLeft(until, until - 1)).toEqual({ minutes: 0, seconds: 1, text: '0:01' });
    expect(timeLeft(until, until)).toEqual({ minutes: 0, seconds: 0, text: '0:00' });
    expect(timeLeft(until, until + 5_000)).toEqual({ minutes: 0, seconds: 0, text: '0:00' });
  });

  it('knows a moment has passed only once the clock is known and has reached it', () => {
    const until = '2026-03-01T10:30:00.000Z';
    expect(hasPassed(until, null)).toBe(false);
    expect(hasPassed(until, Date.parse(until) - 1000)).toBe(false);
    expect(hasPassed(until, Date.parse(until))).toBe(true);
  });
});
