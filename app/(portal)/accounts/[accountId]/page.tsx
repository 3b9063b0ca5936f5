import type { Metadata } from 'next';
import Link from 'next/link';
import { getLocale } from 'next-intl/server';
import { LocalTime } from '@/components/account/local-time';
import { Amount, ColumnHeaders } from '@/components/accounts/accounts-table';
import { ExportForm } from '@/components/accounts/export-form';
import { TransactionFilters } from '@/components/accounts/transaction-filters';
import { Card } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/dal';
import { parseFilter, SEARCH_MAX } from '@/lib/bank-data/filters';
import { accountTransactions } from '@/lib/bank-data/views';
import { formatDate } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/locales';
import { getTranslations } from '@/lib/i18n/server';

export async function generateMetadata(): Promise<Metadata> {
  const [common, t] = await Promise.all([getTranslations('common'), getTranslations('accounts.transactions')]);
  return { title: common('app.title', { page: t('metaTitle') }) };
}

type Params = { q?: string; from?: string; to?: string; page?: string };

/** The page's URL with these filters and this page number (empty values left out). */
function pageHref(accountId: string, values: { q: string; from: string; to: string }, page: number): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) query.set(key, value);
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return `/accounts/${accountId}${text ? `?${text}` : ''}`;
}

export default async function AccountPage({ params, searchParams }: { params: Promise<{ accountId: string }>; searchParams: Promise<Params> }) {
  const user = await requireUser();
  const [{ accountId }, search, t, locale] = await Promise.all([params, searchParams, getTranslations('accounts'), getLocale() as Promise<Locale>]);
  const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const parsed = parseFilter({ q: one(search.q), from: one(search.from), to: one(search.to) }, user.timeZone);
  const page = await accountTransactions(user.id, accountId, parsed.filter, Number.parseInt(one(search.page) ?? '1', 10) || 1);

  if (!page) {
    return (
      <>
        <h1 className="text-2xl font-bold">{t('transactions.metaTitle')}</h1>
        <p>{t('transactions.gone')}</p>
        <Link href="/accounts" className="font-semibold text-blue-800 underline">
          {t('transactions.back')}
        </Link>
      </>
    );
  }

  const { account } = page;
  const filtered = Boolean(parsed.filter.search || parsed.filter.from || parsed.filter.until);
  const example = formatDate(new Date(Date.UTC(2026, 2, 31, 12)), { locale, timeZone: 'UTC' });
  const problems = Object.fromEntries(
    Object.entries(parsed.problems).map(([field, problem]) => [field, t(`transactions.${problem}`, { example, max: SEARCH_MAX })]),
  ) as Partial<Record<'q' | 'from' | 'to', string>>;

  return (
    <>
      <Link href="/accounts" className="text-sm font-semibold text-blue-800 underline">
        {t('transactions.back')}
      </Link>
      <h1 className="text-2xl font-bold">{account.name || account.accountType}</h1>
      <Card title={account.servicerName}>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="font-semibold">{t('table.iban')}</dt>
          <dd className="font-mono">{account.ibanMasked ?? t('table.none')}</dd>
          <dt className="font-semibold">{t('table.booked')}</dt>
          <dd>{account.booked ? <Amount money={account.booked} locale={locale} /> : t('table.none')}</dd>
          <dt className="font-semibold">{t('table.available')}</dt>
          <dd>{account.available ? <Amount money={account.available} locale={locale} /> : t('table.none')}</dd>
        </dl>
        <p className="mt-2 text-sm text-slate-700">
          {t.rich('transactions.readAt', { date: () => <LocalTime date={account.readAt} timeZone={user.timeZone} /> })}
        </p>
      </Card>

      <Card title={t('transactions.filters')}>
        <TransactionFilters
          values={parsed.values}
          problems={problems}
          clearHref={filtered || Object.keys(problems).length > 0 ? `/accounts/${account.id}` : undefined}
        />
      </Card>

      <section aria-labelledby="transactions-heading" className="flex flex-col gap-3">
        <h2 id="transactions-heading" className="text-lg font-semibold">
          {t('transactions.caption')}
        </h2>
        <p role="status" className="text-sm text-slate-800">
          {filtered ? t('transactions.countFiltered', { total: page.total }) : t('transactions.count', { total: page.total })}
        </p>
        {page.transactions.length > 0 ? (
          <div className="overflow-x-auto rounded-lg border border-slate-300 bg-white">
            <table className="w-full min-w-[36rem] text-left text-sm">
              <caption className="sr-only">{t('transactions.caption')}</caption>
              <ColumnHeaders
                padding="px-3 py-2"
                columns={[
                  { label: t('transactions.date') },
                  { label: t('transactions.label') },
                  { label: t('transactions.amount'), end: true },
                  { label: t('transactions.status') },
                ]}
              />
              <tbody>
                {page.transactions.map((transaction) => (
                  <tr key={transaction.id} className="border-b border-slate-200">
                    <td className="whitespace-nowrap px-3 py-2">
                      <time dateTime={transaction.bookedAt.toISOString()}>{formatDate(transaction.bookedAt, { locale, timeZone: user.timeZone })}</time>
                    </td>
                    <td className="px-3 py-2">{transaction.label}</td>
                    <td className="whitespace-nowrap px-3 py-2 text-right">
                      <Amount money={transaction} locale={locale} />
                    </td>
                    <td className="px-3 py-2">{t(`transactions.${transaction.status}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {page.pageCount > 1 ? (
          <nav aria-label={t('transactions.pagination')} className="flex flex-wrap items-center gap-4 text-sm">
            {page.page > 1 ? (
              <Link href={pageHref(account.id, parsed.values, page.page - 1)} className="font-semibold text-blue-800 underline">
                {t('transactions.previous')}
              </Link>
            ) : null}
            <span aria-current="page">{t('transactions.pageOf', { page: page.page, pages: page.pageCount })}</span>
            {page.page < page.pageCount ? (
              <Link href={pageHref(account.id, parsed.values, page.page + 1)} className="font-semibold text-blue-800 underline">
                {t('transactions.next')}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </section>

      {page.total > 0 ? (
        <Card title={t('transactions.export')}>
          <ExportForm accountId={account.id} values={parsed.values} defaultDecimal={locale === 'fr' ? 'comma' : 'point'} />
        </Card>
      ) : null}
    </>
  );
}
