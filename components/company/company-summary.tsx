import { getLocale } from 'next-intl/server';
import { getTranslations } from '@/lib/i18n/server';
import Link from 'next/link';
import { countryNameIn } from '@/lib/company/countries';
import { LANGUAGE_NAMES, type CompanyProfile } from '@/lib/company/schema';
import { formatPhoneNational } from '@/lib/i18n/format';

/** The saved company profile for the dashboard, or an invitation to fill it in. */
export async function CompanySummary({ profile }: { profile: CompanyProfile | undefined }) {
  const [t, locale] = await Promise.all([getTranslations('company'), getLocale()]);
  if (!profile) {
    return (
      <p className="text-sm text-slate-800">
        {t('summary.invite')}{' '}
        <Link href="/settings/company" className="font-semibold text-blue-800 underline">
          {t('summary.complete')}
        </Link>
      </p>
    );
  }
  const notGiven = t('summary.notGiven');
  const rows: Array<[string, string]> = [
    [t('form.companyName'), profile.companyName || notGiven],
    [t('form.country'), countryNameIn(profile.countryCode, locale)],
    [t('form.identification'), profile.identificationNumber],
    [t('form.language'), LANGUAGE_NAMES[profile.language]],
    [t('form.contactEmail'), profile.contactEmail],
    // Stored in E.164; shown as written in the company's country (+33612345678 → 06 12 34 56 78).
    [t('form.contactPhone'), profile.contactPhone ? formatPhoneNational(profile.contactPhone, profile.countryCode) : notGiven],
  ];
  return (
    <div className="flex flex-col gap-3">
      <dl className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm text-slate-900 sm:grid-cols-[max-content_1fr] sm:gap-y-2">
        {rows.map(([term, detail]) => (
          <div key={term} className="contents">
            <dt className="font-medium">{term}</dt>
            <dd className="mb-2 break-words sm:mb-0">{detail}</dd>
          </div>
        ))}
      </dl>
      <p className="text-sm">
        <Link href="/settings/company" className="font-semibold text-blue-800 underline">
          {t('summary.edit')}
        </Link>
      </p>
    </div>
  );
}
