import Link from 'next/link';
import { countryName } from '@/lib/company/countries';
import { LANGUAGE_NAMES, type CompanyProfile } from '@/lib/company/schema';
import { formatPhoneNational } from '@/lib/i18n/format';

/** The saved company profile for the dashboard, or an invitation to fill it in. */
export function CompanySummary({ profile }: { profile: CompanyProfile | undefined }) {
  if (!profile) {
    return (
      <p className="text-sm text-slate-800">
        Bridge guidance needs a few details about your company.{' '}
        <Link href="/settings/company" className="font-semibold text-blue-800 underline">
          Complete your company profile
        </Link>
      </p>
    );
  }
  const rows: Array<[string, string]> = [
    ['Company name', profile.companyName || 'Not given'],
    ['Country', countryName(profile.countryCode)],
    ['Company identification number', profile.identificationNumber],
    ['Language', LANGUAGE_NAMES[profile.language]],
    ['Contact email', profile.contactEmail],
    // Stored in E.164; shown as written in the company's country (+33612345678 → 06 12 34 56 78).
    ['Contact phone number', profile.contactPhone ? formatPhoneNational(profile.contactPhone, profile.countryCode) : 'Not given'],
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
          Edit company profile
        </Link>
      </p>
    </div>
  );
}
