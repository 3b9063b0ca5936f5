import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { getTranslations } from '@/lib/i18n/server';

/**
 * Text and dates that narrow an account's transactions: a GET form, so the view is a URL (bookmarked, shared with the
 * export below, kept by the back button). What was typed comes back in the fields, with what is wrong next to each.
 */
export async function TransactionFilters({
  values,
  problems,
  clearHref,
}: {
  values: { q: string; from: string; to: string };
  problems: Partial<Record<'q' | 'from' | 'to', string>>;
  clearHref?: string;
}) {
  const t = await getTranslations('accounts.transactions');
  const errors = (field: 'q' | 'from' | 'to') => (problems[field] ? [problems[field]] : undefined);
  return (
    <form method="get" role="search" className="flex flex-col gap-4">
      <div className="grid gap-4 sm:grid-cols-[2fr_1fr_1fr]">
        <Field name="q" type="search" label={t('search')} hint={t('searchHint')} defaultValue={values.q} errors={errors('q')} />
        <Field name="from" type="date" label={t('from')} defaultValue={values.from} errors={errors('from')} />
        <Field name="to" type="date" label={t('to')} defaultValue={values.to} errors={errors('to')} />
      </div>
      <div className="flex flex-wrap items-center gap-4">
        <Button type="submit">{t('apply')}</Button>
        {clearHref ? (
          <Link href={clearHref} className="text-sm font-semibold text-blue-800 underline">
            {t('clear')}
          </Link>
        ) : null}
      </div>
    </form>
  );
}
