import { getTranslations } from '@/lib/i18n/server';
import { LocalTime } from '@/components/account/local-time';
import type { AuditEntry } from '@/lib/guidance/audit';
import { shortReference } from '@/lib/short-reference';

/**
 * Every creation, reveal, deletion and expiry of the user's guidance passwords, sessions by their short reference.
 * A table from 640 px; below, the same entries as a list (a three-column table does not fit a phone), each saying
 * the same three things. Only one of the two is displayed, so assistive technology meets it once.
 */
export async function AuditTrail({ entries, timeZone }: { entries: AuditEntry[]; timeZone: string | null }) {
  const t = await getTranslations('guidance.audit');
  if (entries.length === 0) return <p className="text-sm text-slate-800">{t('empty')}</p>;
  const rows = entries.map((entry, index) => ({
    key: `${entry.guidanceSessionId}-${entry.action}-${index}`,
    time: <LocalTime date={entry.at} timeZone={timeZone} precision="second" />,
    what: t(`action.${entry.action}`),
    reference: shortReference(entry.guidanceSessionId),
  }));
  return (
    <>
      <table className="hidden w-full text-left text-sm sm:table">
        <caption className="sr-only">{t('caption')}</caption>
        <thead>
          <tr className="border-b border-slate-300">
            <th scope="col" className="py-2 pr-4">
              {t('time')}
            </th>
            <th scope="col" className="py-2 pr-4">
              {t('what')}
            </th>
            <th scope="col" className="py-2">
              {t('session')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} className="border-b border-slate-200">
              <td className="py-2 pr-4">{row.time}</td>
              <td className="py-2 pr-4">{row.what}</td>
              <td className="py-2 font-mono text-xs">{row.reference}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ol aria-label={t('caption')} className="flex flex-col text-sm sm:hidden">
        {rows.map((row) => (
          <li key={row.key} className="flex flex-col gap-0.5 border-b border-slate-200 py-2">
            <span className="font-medium">{row.what}</span>
            <span className="text-slate-800">{row.time}</span>
            <span className="font-mono text-xs text-slate-800">{t('sessionReference', { reference: row.reference })}</span>
          </li>
        ))}
      </ol>
    </>
  );
}
