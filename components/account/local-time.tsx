import { getLocale } from 'next-intl/server';
import { formatDate, formatDateTime, formatDateTimeSeconds } from '@/lib/i18n/format';

const FORMATS = { day: formatDate, minute: formatDateTime, second: formatDateTimeSeconds } as const;

/**
 * A date as the user reads it: in their time zone (users.time_zone, Europe/Paris when unknown) and language, inside
 * <time dateTime="ISO"> for machines. A server component: formatted once on the server, so a browser's different
 * ICU can never fail hydration. Client components get the formatted string as a prop instead.
 */
export async function LocalTime({ date, timeZone, precision = 'minute' }: { date: Date; timeZone: string | null; precision?: keyof typeof FORMATS }) {
  const locale = await getLocale();
  return <time dateTime={date.toISOString()}>{FORMATS[precision](date, { locale, timeZone })}</time>;
}
