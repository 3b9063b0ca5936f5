import { formatDate, formatDateTime, formatDateTimeSeconds, UI_LOCALE } from '@/lib/i18n/format';

const FORMATS = { day: formatDate, minute: formatDateTime, second: formatDateTimeSeconds } as const;

/**
 * A date as the user reads it: in their time zone (users.time_zone, Europe/Paris when unknown) and the UI's locale,
 * inside <time dateTime="ISO"> for machines. A server component: formatted once on the server, so a browser's
 * different ICU can never fail hydration. Client components get the formatted string as a prop instead.
 */
export function LocalTime({ date, timeZone, precision = 'minute' }: { date: Date; timeZone: string | null; precision?: keyof typeof FORMATS }) {
  return <time dateTime={date.toISOString()}>{FORMATS[precision](date, { locale: UI_LOCALE, timeZone })}</time>;
}
