import { getTranslations } from '@/lib/i18n/server';

/** What a phone sees for a link that opens nothing (used, expired, revoked, unknown) or a session whose step is over. */
export async function HandoffRefused() {
  const t = await getTranslations('handoff.refused');
  return (
    <>
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <p>{t('body')}</p>
    </>
  );
}
