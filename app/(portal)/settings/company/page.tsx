import type { Metadata } from 'next';
import { getLocale } from 'next-intl/server';
import { getTranslations } from '@/lib/i18n/server';
import { CompanyProfileForm } from '@/components/company/company-profile-form';
import { requireUser } from '@/lib/auth/dal';
import { countryOptions } from '@/lib/company/countries';
import { profileToValues } from '@/lib/company/schema';
import { getCompanyProfile } from '@/lib/company/service';
import { saveCompanyProfileAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const [common, t] = await Promise.all([getTranslations('common'), getTranslations('company.page')]);
  return { title: common('app.title', { page: t('metaTitle') }) };
}

export default async function CompanyProfilePage() {
  const user = await requireUser();
  const [profile, t, locale] = await Promise.all([getCompanyProfile(user.id), getTranslations('company.page'), getLocale()]);
  return (
    <>
      <h1 className="text-2xl font-bold text-slate-900">{t('title')}</h1>
      <p className="max-w-prose text-slate-800">{t('intro')}</p>
      <section aria-label={t('section')} className="max-w-xl rounded-lg border border-slate-300 bg-white p-6 shadow-sm">
        {/* A new profile's guidance language starts as the portal's; the country names are made here, on the server. */}
        <CompanyProfileForm action={saveCompanyProfileAction} initialValues={profileToValues(profile, locale)} countries={countryOptions(locale)} />
      </section>
    </>
  );
}
