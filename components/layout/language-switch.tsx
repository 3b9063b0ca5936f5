import { getLocale } from 'next-intl/server';
import { getTranslations } from '@/lib/i18n/server';
import { switchLanguageAction } from '@/app/language-actions';
import { LOCALE_NAMES, LOCALES } from '@/lib/i18n/locales';

/**
 * Français | English (FR | EN on phones): each language named in itself (and marked as such for screen readers),
 * the current one pressed. A plain form, so it works before the page's scripts have loaded.
 */
export async function LanguageSwitch() {
  const [locale, t] = await Promise.all([getLocale(), getTranslations('common.language')]);
  return (
    <form action={switchLanguageAction} aria-label={t('label')} className="flex items-center gap-1 text-sm">
      {LOCALES.map((candidate) => (
        <button
          key={candidate}
          type="submit"
          name="locale"
          value={candidate}
          lang={candidate}
          aria-pressed={candidate === locale}
          className={`rounded-md px-2 py-1 font-medium ${candidate === locale ? 'bg-slate-200 text-slate-950' : 'text-blue-900 underline hover:bg-slate-100'}`}
        >
          {/* Phones: the two-letter code, which keeps the header on one row; the name for screen readers. */}
          <span aria-hidden="true" className="uppercase sm:hidden">
            {candidate}
          </span>
          <span className="sr-only sm:not-sr-only">{LOCALE_NAMES[candidate]}</span>
        </button>
      ))}
    </form>
  );
}
