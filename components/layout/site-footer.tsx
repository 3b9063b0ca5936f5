import { getTranslations } from '@/lib/i18n/server';
import Link from 'next/link';
import { getEnv } from '@/lib/env';

/** Every page's footer: where to get help (SUPPORT_EMAIL, SUPPORT_URL) and the privacy notice. */
export async function SiteFooter() {
  const { email, url } = getEnv().support;
  const t = await getTranslations('common.footer');
  return (
    <footer className="mt-auto border-t border-slate-300 bg-white">
      <div className="mx-auto flex max-w-4xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-4 text-sm text-slate-700">
        {url ? (
          <a href={url} className="underline">
            {t('helpCentre')}
          </a>
        ) : null}
        {email ? (
          <p>
            {t('support')}{' '}
            <a href={`mailto:${email}`} className="underline">
              {email}
            </a>
          </p>
        ) : null}
        <Link href="/privacy" className="underline">
          {t('privacy')}
        </Link>
      </div>
    </footer>
  );
}
