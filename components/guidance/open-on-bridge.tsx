'use client';

import { useTranslations } from 'next-intl';

// Styled as the primary button: once a session is open, going to Bridge is what the user came for.
const PRIMARY =
  'inline-flex items-center justify-center rounded-md bg-blue-800 px-4 py-2 text-sm font-semibold text-white hover:bg-blue-900 focus:outline-2 focus:outline-offset-2 focus:outline-blue-700';

/** "Open my guidance on Bridge": the session's page on Bridge, in a new tab so the password stays at hand here. */
export function OpenOnBridge({ url }: { url: string }) {
  const t = useTranslations('guidance.shown');
  return (
    <a href={url} target="_blank" rel="noopener noreferrer" className={PRIMARY}>
      {t('openOnBridge')}
      <span className="sr-only"> {t('newTab')}</span>
    </a>
  );
}
