import type { Metadata } from 'next';
import Link from 'next/link';
import { LocalTime } from '@/components/account/local-time';
import { AccountsTable } from '@/components/accounts/accounts-table';
import { RefreshWhileReading } from '@/components/accounts/refresh-while-reading';
import { Card } from '@/components/ui/card';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { requireUser } from '@/lib/auth/dal';
import { neverReadConsents, syncConsent } from '@/lib/bank-data/sync';
import { logger } from '@/lib/log';
import { listBankConsents, type BankConsentView } from '@/lib/bank-data/views';
import { getTranslations } from '@/lib/i18n/server';
import { skillText } from '@/lib/onboarding/skill-text';
import { refreshAccountsAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const [common, t] = await Promise.all([getTranslations('common'), getTranslations('accounts')]);
  return { title: common('app.title', { page: t('metaTitle') }) };
}

// What "Refresh" did, from the action's redirect (a closed set of codes, never text from the URL).
const NOTICES = { refreshed: 'success', busy: 'success', too_many: 'error', ended: 'error', failed: 'error', not_found: 'error' } as const;
const isNotice = (notice: string | undefined): notice is keyof typeof NOTICES => notice !== undefined && Object.hasOwn(NOTICES, notice);
const hidden = (chunks: React.ReactNode) => <span className="sr-only">{chunks}</span>;

/** How long the page waits for a first read before it shows itself, the read going on (each call may take 30 s). */
const FIRST_READ_WAIT_MS = 5_000;

/**
 * A consent just given has never been read: read it now, so the accounts show on the first visit (the background
 * refresh would take up to a minute). A slow bank does not hold the page: after FIRST_READ_WAIT_MS it shows the read as
 * under way and asks again until it lands. Failures are recorded on the consent and shown; nothing here throws.
 */
async function firstReads(userId: string): Promise<void> {
  const reads = Promise.all(
    (await neverReadConsents(userId, new Date())).map((id) =>
      syncConsent(userId, id).catch((error: unknown) => {
        logger().error({ event: 'bank_data.first_read_failed', userId, error: error instanceof Error ? error.name : 'unknown' }, 'first bank data read failed');
      }),
    ),
  );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([reads, new Promise((resolve) => (timer = setTimeout(resolve, FIRST_READ_WAIT_MS)))]);
  clearTimeout(timer);
}

export default async function AccountsPage({ searchParams }: { searchParams: Promise<{ notice?: string; minutes?: string }> }) {
  const user = await requireUser();
  const [{ notice, minutes }, t, onboardingT] = await Promise.all([searchParams, getTranslations('accounts'), getTranslations('onboarding')]);
  await firstReads(user.id);
  const consents = await listBankConsents(user.id);
  const wait = Math.min(Math.max(Number.parseInt(minutes ?? '', 10) || 1, 1), 60);

  return (
    <>
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      <p className="text-slate-800">{t('intro')}</p>
      {isNotice(notice) ? <FormMessage tone={NOTICES[notice]} message={t(`notices.${notice}`, { minutes: wait })} /> : null}
      {consents.some((consent) => consent.syncing) ? <RefreshWhileReading /> : null}
      {consents.length === 0 ? (
        <Card title={t('none')}>
          <Link href="/onboarding" className="font-semibold text-blue-800 underline">
            {t('connect')}
          </Link>
        </Card>
      ) : null}
      {consents.map((consent) => (
        <ConsentCard
          key={consent.id}
          consent={consent}
          skill={skillText(onboardingT, { id: consent.skillId, name: consent.skillName }).name}
          timeZone={user.timeZone}
        />
      ))}
    </>
  );
}

async function ConsentCard({ consent, skill, timeZone }: { consent: BankConsentView; skill: string; timeZone: string | null }) {
  const t = await getTranslations('accounts');
  const bank = consent.accounts[0]?.servicerName ?? t('consent.bankFallback');
  const at = (date: Date, precision: 'day' | 'minute') =>
    function ConsentDate() {
      return <LocalTime date={date} timeZone={timeZone} precision={precision} />;
    };
  return (
    <Card title={bank}>
      <div className="flex flex-col gap-3">
        <p className="text-sm text-slate-700">{t('consent.through', { skill })}</p>
        {consent.state === 'active' ? (
          <>
            <p className="text-sm text-slate-800">
              {consent.syncedAt ? t.rich('consent.lastRefresh', { date: at(consent.syncedAt, 'minute') }) : t('consent.neverRefreshed')}{' '}
              {t.rich('consent.activeUntil', { date: at(consent.expiresAt, 'day') })}
            </p>
            {consent.syncing ? (
              <p role="status" className="text-sm text-slate-800">
                {consent.syncedAt ? t('consent.refreshing') : t('consent.firstRead')}
              </p>
            ) : null}
            {consent.failure ? (
              <FormMessage
                tone="error"
                message={`${t(`sync.${consent.failure.reason}`)}${consent.failure.reference ? ` ${t('sync.reference', { reference: consent.failure.reference })}` : ''}`}
              />
            ) : null}
            {consent.accounts.length > 0 ? <AccountsTable bank={bank} accounts={consent.accounts} /> : consent.syncedAt ? <p>{t('consent.empty')}</p> : null}
            <div className="flex flex-wrap items-center gap-4">
              <form action={refreshAccountsAction}>
                <input type="hidden" name="consentId" value={consent.id} />
                <SubmitButton variant="secondary" pendingLabel={t('consent.refreshing')}>
                  {t.rich('consent.refresh', { bank, hidden })}
                </SubmitButton>
              </form>
              <Link href={`/onboarding/${consent.onboardingId}`} className="text-sm font-semibold text-blue-800 underline">
                {t.rich('consent.manage', { skill, hidden })}
              </Link>
            </div>
          </>
        ) : consent.state === 'expired' ? (
          <>
            <p>{t.rich('consent.expired', { date: at(consent.expiresAt < consent.retainedUntil ? consent.expiresAt : consent.retainedUntil, 'day') })}</p>
            <Link href="/onboarding" className="font-semibold text-blue-800 underline">
              {t('consent.renew')}
            </Link>
          </>
        ) : (
          <p>{t.rich('consent.revoked', { date: at(consent.revokedAt!, 'day') })}</p>
        )}
      </div>
    </Card>
  );
}
