import type { Metadata } from 'next';
import { getTranslations } from '@/lib/i18n/server';
import { PublicShell } from '@/components/layout/public-shell';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('common');
  return { title: t('app.title', { page: (await getTranslations('handoff.done'))('metaTitle') }) };
}

// Where the phone goes once it has sent its step (the upload route's `next` for a hand-off session, which
// ended with the step). It shows nothing of the account, so it needs no session.
export default async function PhoneDonePage() {
  const t = await getTranslations('handoff.done');
  return (
    <PublicShell width="max-w-xl">
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <p>{t('body')}</p>
    </PublicShell>
  );
}
