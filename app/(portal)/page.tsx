import type { Metadata } from 'next';
import { getTranslations } from '@/lib/i18n/server';
import Link from 'next/link';
import { LocalTime } from '@/components/account/local-time';
import { CompanySummary } from '@/components/company/company-summary';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { FormMessage } from '@/components/ui/form-message';
import { requireUser } from '@/lib/auth/dal';
import { getCompanyProfile } from '@/lib/company/service';
import { recentGuidanceSessions } from '@/lib/guidance/service';
import { listOnboardings } from '@/lib/onboarding/service';
import { revokeOnboardingAction } from './onboarding/[id]/actions';

export async function generateMetadata(): Promise<Metadata> {
  const [common, t] = await Promise.all([getTranslations('common'), getTranslations('dashboard')]);
  return { title: common('app.title', { page: t('metaTitle') }) };
}

const hidden = (chunks: React.ReactNode) => <span className="sr-only">{chunks}</span>;

export default async function DashboardPage({ searchParams }: { searchParams: Promise<{ verified?: string }> }) {
  const user = await requireUser();
  const [{ verified }, verify] = await Promise.all([searchParams, getTranslations('auth.verify')]);
  const [profile, [latest], onboardings, t] = await Promise.all([
    getCompanyProfile(user.id),
    // The latest session only (its state is settled on the way); the audit trail is /guidance's.
    recentGuidanceSessions(user.id, new Date(), 1),
    listOnboardings(user.id),
    getTranslations('dashboard'),
  ]);
  return (
    <>
      <h1 className="text-2xl font-bold">{t('title')}</h1>
      {verified && user.emailVerified ? <FormMessage tone="success" message={verify('doneSignedIn')} /> : null}
      <Card title={t('company')}>
        <CompanySummary profile={profile} />
      </Card>
      <Card title={t('guidance.title')}>
        <p className="text-sm text-slate-800">
          {latest ? (
            <>
              {t.rich('guidance.lastSession', { time: () => <LocalTime date={latest.createdAt} timeZone={user.timeZone} /> })}{' '}
              {t(`guidance.state.${latest.passwordState}`)}
            </>
          ) : (
            t('guidance.none')
          )}{' '}
          <Link href="/guidance" className="font-semibold text-blue-800 underline">
            {t('guidance.link')}
          </Link>
        </p>
      </Card>
      <Card title={t('onboarding.title')}>
        {onboardings.length === 0 ? (
          <p className="text-sm text-slate-800">
            {t('onboarding.none')}{' '}
            <Link href="/onboarding" className="font-semibold text-blue-800 underline">
              {t('onboarding.link')}
            </Link>
          </p>
        ) : (
          <ul className="flex flex-col gap-3 text-sm">
            {onboardings.map((onboarding) => (
              <li key={onboarding.id} className="flex flex-wrap items-center justify-between gap-2">
                <span>
                  <span className="font-semibold">{onboarding.skillName}</span>
                  {' · '}
                  {onboarding.status === 'completed' && onboarding.consentExpiresAt
                    ? t.rich('onboarding.completed', {
                        time: () => <LocalTime date={onboarding.consentExpiresAt!} timeZone={user.timeZone} precision="day" />,
                      })
                    : onboarding.status === 'revoked'
                      ? onboarding.revokedAt
                        ? t.rich('onboarding.revokedOn', { time: () => <LocalTime date={onboarding.revokedAt!} timeZone={user.timeZone} precision="day" /> })
                        : t('onboarding.revoked')
                      : t('onboarding.inProgress', {
                          current: Math.min(onboarding.stepsDone + 1, onboarding.stepsTotal),
                          total: onboarding.stepsTotal,
                        })}
                </span>
                {onboarding.status === 'completed' ? (
                  <form action={revokeOnboardingAction}>
                    <input type="hidden" name="onboardingId" value={onboarding.id} />
                    <input type="hidden" name="from" value="dashboard" />
                    <Button type="submit" variant="secondary">
                      {t.rich('onboarding.revoke', { name: onboarding.skillName, hidden })}
                    </Button>
                  </form>
                ) : onboarding.status === 'revoked' ? null : (
                  <Link href={`/onboarding/${onboarding.id}`} className="font-semibold text-blue-800 underline">
                    {t.rich('onboarding.resume', { name: onboarding.skillName, hidden })}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
