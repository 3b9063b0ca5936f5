'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';

// Our own error screen: plain words, a way forward, and no inline styles (the CSP refuses them).
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations('common.errors');
  return (
    <main className="mx-auto flex max-w-xl flex-col gap-4 p-8">
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <p>{t('page')}</p>
      {error.digest ? <p className="text-sm text-slate-700">{t('reference', { reference: error.digest })}</p> : null}
      <div className="flex gap-3">
        <button type="button" onClick={reset} className="rounded-md bg-blue-800 px-4 py-2 font-semibold text-white">
          {t('tryAgain')}
        </button>
        <Link href="/" className="rounded-md border border-slate-400 px-4 py-2 font-semibold text-slate-900">
          {t('toDashboard')}
        </Link>
      </div>
    </main>
  );
}
