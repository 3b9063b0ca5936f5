import { Button } from '@/components/ui/button';
import { getTranslations } from '@/lib/i18n/server';

/**
 * "Download as CSV": the transactions the filters show, with the decimal separator the user's spreadsheet expects
 * (the comma in French, which also makes the fields semicolon-separated). A plain GET: the browser downloads the file.
 */
export async function ExportForm({
  accountId,
  values,
  defaultDecimal,
}: {
  accountId: string;
  values: { q: string; from: string; to: string };
  defaultDecimal: 'comma' | 'point';
}) {
  const t = await getTranslations('accounts.transactions');
  return (
    <form method="get" action={`/api/accounts/${accountId}/transactions`} className="flex flex-col gap-3">
      <p className="text-sm text-slate-800">{t('exportHint')}</p>
      {Object.entries(values).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
      <fieldset className="flex flex-col gap-1">
        <legend className="text-sm font-medium text-slate-800">{t('decimal')}</legend>
        {(['comma', 'point'] as const).map((decimal) => (
          <label key={decimal} className="flex items-center gap-2 text-sm">
            <input type="radio" name="decimal" value={decimal} defaultChecked={decimal === defaultDecimal} />
            {t(decimal === 'comma' ? 'decimalComma' : 'decimalPoint')}
          </label>
        ))}
      </fieldset>
      <div>
        <Button type="submit" variant="secondary">
          {t('download')}
        </Button>
      </div>
    </form>
  );
}
