import type { Metadata } from 'next';
import { getTranslations } from '@/lib/i18n/server';
import { PublicShell } from '@/components/layout/public-shell';

export async function generateMetadata(): Promise<Metadata> {
  const [common, t] = await Promise.all([getTranslations('common'), getTranslations('privacy')]);
  return { title: common('app.title', { page: t('metaTitle') }) };
}

// What we hold, where it goes and for how long: each sentence matches what the code does (README,
// "Security notes" and the onboarding section), and changes with it, in both languages.
export default async function PrivacyPage() {
  const t = await getTranslations('privacy');
  return (
    <PublicShell>
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <p>{t('intro')}</p>
      <h2 className="text-xl font-semibold">{t('account.title')}</h2>
      <p>{t('account.body')}</p>
      <h2 className="text-xl font-semibold">{t('kyc.title')}</h2>
      <p>{t('kyc.details')}</p>
      <p>{t('kyc.consent')}</p>
      <h2 className="text-xl font-semibold">{t('guidance.title')}</h2>
      <p>{t('guidance.body')}</p>
      <h2 className="text-xl font-semibold">{t('logs.title')}</h2>
      <p>{t('logs.body')}</p>
    </PublicShell>
  );
}
