import { LocalTime } from '@/components/account/local-time';
import type { AuditAction, AuditEntry } from '@/lib/guidance/audit';

const LABELS: Record<AuditAction, string> = {
  created: 'Password created',
  revealed: 'Password shown again',
  reveal_refused: 'Show-again refused (too many requests)',
  deleted: 'Password deleted after use',
  expired: 'Password expired',
  invalidated: 'Session invalidated (suspected leak)',
};

/** Every creation, reveal, deletion and expiry of the user's guidance passwords. */
export function AuditTrail({ entries, timeZone }: { entries: AuditEntry[]; timeZone: string | null }) {
  if (entries.length === 0) return <p className="text-sm text-slate-800">Nothing yet.</p>;
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">Password activity, newest first</caption>
      <thead>
        <tr className="border-b border-slate-300">
          <th scope="col" className="py-2 pr-4">
            Time
          </th>
          <th scope="col" className="py-2 pr-4">
            What happened
          </th>
          <th scope="col" className="py-2">
            Guidance session
          </th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry, index) => (
          <tr key={`${entry.guidanceSessionId}-${entry.action}-${index}`} className="border-b border-slate-200">
            <td className="py-2 pr-4">
              <LocalTime date={entry.at} timeZone={timeZone} precision="second" />
            </td>
            <td className="py-2 pr-4">{LABELS[entry.action] ?? entry.action}</td>
            <td className="py-2 font-mono text-xs">{entry.guidanceSessionId}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
