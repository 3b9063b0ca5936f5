import { getCountryCallingCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/min';

// Server-side value formatting. Every date, amount and phone number shown to users goes through here, with the
// request's locale (lib/i18n/request-locale.ts). Not 'server-only' so tests and scripts can use it,
// but formatted on the server: browsers ship other ICU versions, and a different string fails hydration.

import type { Locale } from './locales';

export type { Locale };

/** Where dates are shown when the browser never told us the user's time zone. */
export const DEFAULT_TIME_ZONE = 'Europe/Paris';

export interface DateFormatOptions {
  locale: Locale;
  /** IANA zone; null or undefined: DEFAULT_TIME_ZONE. */
  timeZone?: string | null;
}

let supportedZones: Set<string> | undefined;

/**
 * The canonical IANA name of a time zone the browser reported, or undefined when it is not one this runtime knows.
 * Aliases resolve to the name Intl lists (Etc/UTC → UTC, Asia/Kolkata → Asia/Calcutta in ICU).
 */
export function supportedTimeZone(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '' || value.length > 64) return undefined;
  supportedZones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  if (supportedZones.has(value)) return value;
  try {
    const canonical = new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
    return supportedZones.has(canonical) ? canonical : undefined;
  } catch {
    return undefined;
  }
}

// Building an Intl formatter costs far more than using one (ICU loads the locale's patterns and the zone's rules): a
// page of 50 transactions or a CSV of 10,000 would build as many. One per locale, zone and style, kept for the process
// (a few locales × the zones users report: a small, bounded set).
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions & { timeZone: string }): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let found = dateFormats.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, found);
  }
  return found;
}

function currencyFormat(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let found = numberFormats.get(key);
  if (!found) {
    found = new Intl.NumberFormat(locale, { style: 'currency', currency });
    numberFormats.set(key, found);
  }
  return found;
}

function zoneOf(timeZone: string | null | undefined): string {
  return (timeZone && supportedTimeZone(timeZone)) || DEFAULT_TIME_ZONE;
}

/** Date and time to the minute in the user's zone: "Mar 30, 2026, 3:05 PM" (en), "30 mars 2026, 15:05" (fr). */
export function formatDateTime(date: Date, { locale, timeZone }: DateFormatOptions): string {
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: zoneOf(timeZone) }).format(date);
}

/** Date and time to the second, for audit trails where the order of close events matters. */
export function formatDateTimeSeconds(date: Date, { locale, timeZone }: DateFormatOptions): string {
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone: zoneOf(timeZone) }).format(date);
}

/** The calendar day in the user's zone: "Mar 30, 2026" (en), "30 mars 2026" (fr). */
export function formatDate(date: Date, { locale, timeZone }: DateFormatOptions): string {
  return dateFormat(locale, { dateStyle: 'medium', timeZone: zoneOf(timeZone) }).format(date);
}

const DECIMAL = /^-?\d{1,30}(\.\d{1,20})?$/;

/**
 * An amount given as a decimal string ("2500.50", "-12.3") with its ISO 4217 currency: "2 500,50 €" in French.
 * Never through a float: Intl.NumberFormat formats the string itself, so 16 or more significant digits stay exact.
 * Throws on anything that is not a plain decimal (a caller bug, never user input shown as is).
 */
export function formatAmount(amount: string, currency: string, locale: Locale): string {
  if (!DECIMAL.test(amount)) throw new RangeError('formatAmount expects a decimal string like "2500.50".');
  return currencyFormat(locale, currency).format(amount as Intl.StringNumericLiteral);
}

/**
 * A stored E.164 number as written in the company's country: "+33612345678" with FR → "06 12 34 56 78". A number
 * of another country keeps its international form (+44 20 7946 0958); anything unparseable is returned as is.
 */
export function formatPhoneNational(e164: string, countryCode: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  const country = countryCode.toUpperCase();
  if (!isSupportedCountry(country)) return parsed.formatInternational();
  // A shared calling code (+1: US and Canada) may leave the number's own country unknown: the code decides then.
  const home = parsed.country ? parsed.country === country : parsed.countryCallingCode === getCountryCallingCode(country);
  return home ? parsed.formatNational() : parsed.formatInternational();
}

/** The zone's offset from UTC at an instant, in milliseconds (+1 h in Paris in winter). */
function offsetMs(instant: number, timeZone: string): number {
  const name = dateFormat('en', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(instant)
    .find((part) => part.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) * 60_000;
}

/**
 * The instant a calendar day ("2026-03-29", as a date field sends it) begins in the user's zone, or undefined for
 * anything that is not a real day. Across a DST change the day still begins at its first local minute.
 */
export function startOfDay(day: string, timeZone?: string | null): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const utc = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const check = new Date(utc);
  if (check.getUTCFullYear() !== Number(match[1]) || check.getUTCMonth() !== Number(match[2]) - 1 || check.getUTCDate() !== Number(match[3])) return undefined;
  const zone = zoneOf(timeZone);
  // The offset at the guess, then at the result: they differ only when the day starts on a DST change.
  const first = utc - offsetMs(utc, zone);
  return new Date(utc - offsetMs(first, zone));
}

/** The calendar day of an instant in the user's zone, as a date field holds it ("2026-03-29"). */
export function dayOf(date: Date, timeZone?: string | null): string {
  return dateFormat('en-CA', { timeZone: zoneOf(timeZone), year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}
