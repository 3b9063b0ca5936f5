import { startOfDay } from '@/lib/i18n/format';
import type { TransactionFilter } from './views';

// The transactions page's filters as the URL carries them (a GET form: the view can be bookmarked and shared with the
// export link), checked once for the page and the CSV export alike.

export const SEARCH_MAX = 100;

export interface FilterParams {
  q?: string;
  from?: string;
  to?: string;
}

export type FilterProblem = 'invalidDate' | 'toBeforeFrom' | 'searchTooLong';

export interface ParsedFilter {
  filter: TransactionFilter;
  /** What is wrong with each field, for the message next to it; a field with a problem narrows nothing. */
  problems: Partial<Record<keyof FilterParams, FilterProblem>>;
  /** The values as typed, shown again in the form. */
  values: { q: string; from: string; to: string };
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function parseFilter(params: FilterParams, timeZone: string | null): ParsedFilter {
  const values = { q: (params.q ?? '').slice(0, 1000), from: params.from ?? '', to: params.to ?? '' };
  const problems: ParsedFilter['problems'] = {};
  const filter: TransactionFilter = {};
  const q = values.q.trim();
  if (q.length > SEARCH_MAX) problems.q = 'searchTooLong';
  else if (q) filter.search = q;
  if (values.from) {
    const from = startOfDay(values.from, timeZone);
    if (from) filter.from = from;
    else problems.from = 'invalidDate';
  }
  if (values.to) {
    // The whole last day: until the next one starts (a day is 23 to 25 hours, so the calendar says which it is).
    const to = startOfDay(values.to, timeZone);
    const next = to ? startOfDay(new Date(Date.parse(`${values.to}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10), timeZone) : undefined;
    if (!to || !next) problems.to = 'invalidDate';
    else if (filter.from && to < filter.from) problems.to = 'toBeforeFrom';
    else filter.until = next;
  }
  return { filter, problems, values };
}
