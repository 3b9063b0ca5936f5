import Link from 'next/link';
import { getLocale } from 'next-intl/server';
import { getTranslations } from '@/lib/i18n/server';
import { formatAmount } from '@/lib/i18n/format';
import type { Locale } from '@/lib/i18n/locales';
import type { BankAccountView, Money } from '@/lib/bank-data/views';

const hidden = (chunks: React.ReactNode) => <span className="sr-only">{chunks}</span>;

/** A balance in the user's locale; a debit in red with its minus sign (never the colour alone). */
export function Amount({ money, locale }: { money: Money; locale: Locale }) {
  const negative = money.amount.startsWith('-');
  return <span className={`tabular-nums ${negative ? 'text-red-800' : ''}`}>{formatAmount(money.amount, money.currency, locale)}</span>;
}

/** A table's header row: each column's name, numbers' columns aligned to the end. */
export function ColumnHeaders({ columns, padding }: { columns: Array<{ label: string; end?: boolean }>; padding: string }) {
  return (
    <thead>
      <tr className="border-b border-slate-300 text-slate-700">
        {columns.map((column) => (
          <th key={column.label} scope="col" className={`${padding} font-semibold ${column.end ? 'text-right' : ''}`}>
            {column.label}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** One bank's accounts: a table on wide screens that scrolls sideways on a phone. */
export async function AccountsTable({ bank, accounts }: { bank: string; accounts: BankAccountView[] }) {
  const [t, locale] = await Promise.all([getTranslations('accounts.table'), getLocale() as Promise<Locale>]);
  const none = (
    <>
      <span aria-hidden="true">—</span>
      <span className="sr-only">{t('none')}</span>
    </>
  );
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[40rem] text-left text-sm">
        <caption className="sr-only">{t('caption', { bank })}</caption>
        <ColumnHeaders
          padding="py-2 pr-3"
          columns={[
            { label: t('account') },
            { label: t('iban') },
            { label: t('currency') },
            { label: t('booked'), end: true },
            { label: t('available'), end: true },
          ]}
        />
        <tbody>
          {accounts.map((account) => (
            <tr key={account.id} className="border-b border-slate-200 align-top">
              <th scope="row" className="py-2 pr-3 font-normal">
                <Link href={`/accounts/${account.id}`} className="font-semibold text-blue-800 underline">
                  {t.rich('open', { name: account.name || account.accountType, hidden })}
                </Link>
                {account.name && account.name !== account.accountType ? <span className="block text-slate-700">{account.accountType}</span> : null}
              </th>
              <td className="py-2 pr-3 font-mono">{account.ibanMasked ?? none}</td>
              <td className="py-2 pr-3">{account.currency}</td>
              <td className="py-2 pr-3 text-right">{account.booked ? <Amount money={account.booked} locale={locale} /> : none}</td>
              <td className="py-2 text-right">{account.available ? <Amount money={account.available} locale={locale} /> : none}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
