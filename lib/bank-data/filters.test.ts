import { describe, expect, it } from 'vitest';
import { parseFilter } from './filters';

describe('parseFilter', () => {
  it('narrows from the first instant of the first day to the first instant after the last, in the user’s zone', () => {
    const { filter, problems } = parseFilter({ q: '  loyer ', from: '2026-03-01', to: '2026-03-29' }, 'Europe/Paris');
    expect(problems).toEqual({});
    expect(filter.search).toBe('loyer');
    expect(filter.from?.toISOString()).toBe('2026-02-28T23:00:00.000Z');
    // 29 March is the day Paris moves to summer time: the next day starts at 22:00 UTC.
    expect(filter.until?.toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });

  it('takes the whole last day in a zone far from UTC', () => {
    expect(parseFilter({ to: '2026-07-15' }, 'Pacific/Kiritimati').filter.until?.toISOString()).toBe('2026-07-15T10:00:00.000Z');
    expect(parseFilter({ to: '2026-07-15' }, 'America/Los_Angeles').filter.until?.toISOString()).toBe('2026-07-16T07:00:00.000Z');
  });

  it('says what is wrong with each field, keeps what was typed, and narrows by the valid ones only', () => {
    const parsed = parseFilter({ q: 'x'.repeat(101), from: '2026-02-30', to: '2026-01-01' }, null);
    expect(parsed.problems).toEqual({ q: 'searchTooLong', from: 'invalidDate' });
    expect(parsed.values).toEqual({ q: 'x'.repeat(101), from: '2026-02-30', to: '2026-01-01' });
    expect(parsed.filter.search).toBeUndefined();
    expect(parsed.filter.from).toBeUndefined();
    expect(parsed.filter.until).toBeDefined();
    expect(parseFilter({ from: '2026-03-10', to: '2026-03-09' }, null).problems).toEqual({ to: 'toBeforeFrom' });
    expect(parseFilter({ from: '2026-03-10', to: '2026-03-10' }, null).problems).toEqual({});
  });

  it('narrows nothing when nothing is given', () => {
    expect(parseFilter({}, null)).toEqual({ filter: {}, problems: {}, values: { q: '', from: '', to: '' } });
  });
});
