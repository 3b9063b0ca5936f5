import type { Metadata } from 'next';
import { getTranslations } from '@/lib/i18n/server';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { OpenHandoffForm } from '@/components/handoff/open-handoff-form';
import { PublicShell } from '@/components/layout/public-shell';
import { handoffUsable } from '@/lib/handoff/store';
import { rememberSecret } from '@/lib/secrets/known';
import { openHandoffAction } from '@/app/handoff/actions';

// One lookup for the title and the page of a request. A real link's token is censored in logs from here on
// (an unknown one is not remembered: anyone could fill the registry with them).
const usable = cache(async (token: string) => {
  const ok = await handoffUsable(token, new Date());
  if (ok) rememberSecret(token);
  return ok;
});

export async function generateMetadata({ params }: { params: Promise<{ token: string }> }): Promise<Metadata> {
  // The refusal's own title comes with not-found.tsx.
  if (!(await usable((await params).token))) notFound();
  const t = await getTranslations('common');
  return { title: t('app.title', { page: (await getTranslations('handoff.open'))('metaTitle') }) };
}

// The short link of "Continue on my phone" (/h/<token>), outside the portal: the phone has no session yet.
// Looking takes nothing; the page's form takes the link (openHandoffAction). A link that would open
// nothing gets the refusal page (not-found.tsx) with a 404, and no one is signed in.
export default async function HandoffLinkPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  if (!(await usable(token))) notFound();
  const t = await getTranslations('handoff.open');
  return (
    <PublicShell width="max-w-xl">
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <p>{t('body')}</p>
      <OpenHandoffForm token={token} action={openHandoffAction} />
    </PublicShell>
  );
}
