import type { Metadata } from 'next';
import { getTranslations } from '@/lib/i18n/server';
import { HandoffRefused } from '@/components/handoff/handoff-refused';
import { PublicShell } from '@/components/layout/public-shell';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('common');
  return { title: t('app.title', { page: (await getTranslations('handoff.refused'))('metaTitle') }) };
}

// A hand-off link that is used, expired, revoked or unknown: one sentence saying what to do, with a 404.
export default function HandoffLinkRefused() {
  return (
    <PublicShell width="max-w-xl">
      <HandoffRefused />
    </PublicShell>
  );
}
