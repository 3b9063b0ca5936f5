import type { Metadata } from 'next';
import { getTranslations } from '@/lib/i18n/server';
import Link from 'next/link';
import { PublicShell } from '@/components/layout/public-shell';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('common');
  return { title: t('app.title', { page: t('notFound.metaTitle') }) };
}

// Any address that is not a page: our own words and a way back, with the 404 status Next.js sets.
export default async function NotFound() {
  const t = await getTranslations('common.notFound');
  return (
    <PublicShell width="max-w-xl">
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <p>{t('body')}</p>
      <div>
        <Link href="/" className="inline-block rounded-md bg-blue-800 px-4 py-2 font-semibold text-white">
          {t('toDashboard')}
        </Link>
      </div>
    </PublicShell>
  );
}
