import { currentUser } from '@/lib/auth/dal';
import { transactionsCsv } from '@/lib/bank-data/csv';
import { parseFilter, SEARCH_MAX } from '@/lib/bank-data/filters';
import { transactionsForExport } from '@/lib/bank-data/views';
import { dayOf } from '@/lib/i18n/format';
import { translator } from '@/lib/i18n/server';

export const dynamic = 'force-dynamic';

const refusal = (status: number, error: string, message: string) => Response.json({ error, message }, { status, headers: { 'Cache-Control': 'no-store' } });

/**
 * An account's transactions as CSV (the accounts page's "Download as CSV"): the filters of the page (q, from, to) and
 * the decimal separator (decimal=comma|point). Only the signed-in owner of an account whose consent is live gets it;
 * anyone else gets the same 404 as for an unknown account.
 */
export async function GET(request: Request, { params }: { params: Promise<{ accountId: string }> }) {
  const t = await translator('accounts');
  const user = await currentUser();
  if (!user) return refusal(401, 'unauthenticated', t('csv.unauthenticated'));
  const { accountId } = await params;
  const query = new URL(request.url).searchParams;
  const decimal = query.get('decimal') ?? 'point';
  if (decimal !== 'comma' && decimal !== 'point') return refusal(400, 'invalid_input', t('csv.invalid', { reason: t('csv.decimal') }));
  const parsed = parseFilter({ q: query.get('q') ?? undefined, from: query.get('from') ?? undefined, to: query.get('to') ?? undefined }, user.timeZone);
  const [field, problem] = Object.entries(parsed.problems)[0] ?? [];
  if (field && problem) {
    const reason = `${field}: ${t(`transactions.${problem}`, { example: '2026-03-31', max: SEARCH_MAX })}`;
    return refusal(400, 'invalid_input', t('csv.invalid', { reason }));
  }
  const exported = await transactionsForExport(user.id, accountId, parsed.filter);
  if (!exported) return refusal(404, 'not_found', t('csv.notFound'));
  const csv = transactionsCsv(exported.transactions, {
    decimal,
    timeZone: user.timeZone,
    headers: { date: t('csv.date'), label: t('csv.label'), amount: t('csv.amount'), currency: t('csv.currency'), status: t('csv.status') },
    statuses: { booked: t('transactions.booked'), pending: t('transactions.pending') },
  });
  // ASCII only: the account's last IBAN digits (or its position) and today's date.
  const tail = exported.account.ibanMasked?.slice(-4) ?? exported.account.id.slice(0, 8);
  const fileName = `${t('csv.fileName')}-${tail}-${dayOf(new Date(), user.timeZone)}.csv`;
  return new Response(csv, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileName}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
