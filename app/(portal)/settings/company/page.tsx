import type { Metadata } from 'next';
import { CompanyProfileForm } from '@/components/company/company-profile-form';
import { requireUser } from '@/lib/auth/dal';
import { profileToValues } from '@/lib/company/schema';
import { getCompanyProfile } from '@/lib/company/service';
import { saveCompanyProfileAction } from './actions';

export const metadata: Metadata = { title: 'Company profile · Guidepost' };

export default async function CompanyProfilePage() {
  const user = await requireUser();
  const profile = await getCompanyProfile(user.id);
  return (
    <>
      <h1 className="text-2xl font-bold text-slate-900">Company profile</h1>
      <p className="max-w-prose text-slate-800">
        Bridge prepares its financial guidance for your company. To open it, we need the country where your company is registered, its identification number
        (the SIREN for a French company), the language you prefer and who to contact.
      </p>
      <section aria-label="Company details" className="max-w-xl rounded-lg border border-slate-300 bg-white p-6 shadow-sm">
        <CompanyProfileForm action={saveCompanyProfileAction} initialValues={profileToValues(profile)} />
      </section>
    </>
  );
}
