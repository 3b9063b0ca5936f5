import type { Metadata } from 'next';
import Link from 'next/link';
import { LocalTime } from '@/components/account/local-time';
import { CompanySummary } from '@/components/company/company-summary';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/dal';
import { getCompanyProfile } from '@/lib/company/service';
import { guidanceOverview } from '@/lib/guidance/service';
import { listOnboardings } from '@/lib/onboarding/service';
import { revokeOnboardingAction } from './onboarding/[id]/actions';

export const metadata: Metadata = { title: 'Dashboard · Guidepost' };

const GUIDANCE_STATE = {
  held: 'Your latest guidance password can still be shown again.',
  deleted: 'You finished with your latest guidance password.',
  expired: 'Your latest guidance password has expired.',
  invalidated: 'Your latest guidance session was invalidated after a suspected leak.',
} as const;

export default async function DashboardPage() {
  const user = await requireUser();
  const [profile, guidance, onboardings] = await Promise.all([getCompanyProfile(user.id), guidanceOverview(user.id), listOnboardings(user.id)]);
  const latest = guidance.sessions[0];
  return (
    <>
      <h1 className="text-2xl font-bold">Dashboard</h1>
      <Card title="Your company">
        <CompanySummary profile={profile} />
      </Card>
      <Card title="Guidance">
        <p className="text-sm text-slate-800">
          {latest ? (
            <>
              Last session opened <LocalTime date={latest.createdAt} timeZone={user.timeZone} />. {GUIDANCE_STATE[latest.passwordState]}
            </>
          ) : (
            'You have not opened a guidance session yet.'
          )}{' '}
          <Link href="/guidance" className="font-semibold text-blue-800 underline">
            Go to guidance
          </Link>
        </p>
      </Card>
      <Card title="Onboarding">
        {onboardings.length === 0 ? (
          <p className="text-sm text-slate-800">
            No onboarding yet.{' '}
            <Link href="/onboarding" className="font-semibold text-blue-800 underline">
              See the products
            </Link>
          </p>
        ) : (
          <ul className="flex flex-col gap-3 text-sm">
            {onboardings.map((onboarding) => (
              <li key={onboarding.id} className="flex flex-wrap items-center justify-between gap-2">
                <span>
                  <span className="font-semibold">{onboarding.skillName}</span>
                  {onboarding.status === 'completed' && onboarding.consentExpiresAt ? (
                    <>
                      {' · completed · consent valid until '}
                      <LocalTime date={onboarding.consentExpiresAt} timeZone={user.timeZone} precision="day" />
                    </>
                  ) : onboarding.status === 'revoked' ? (
                    <>
                      {' · consent revoked'}
                      {onboarding.revokedAt ? (
                        <>
                          {' on '}
                          <LocalTime date={onboarding.revokedAt} timeZone={user.timeZone} precision="day" />
                        </>
                      ) : null}
                    </>
                  ) : (
                    ` · in progress, step ${Math.min(onboarding.stepsDone + 1, onboarding.stepsTotal)} of ${onboarding.stepsTotal}`
                  )}
                </span>
                {onboarding.status === 'completed' ? (
                  <form action={revokeOnboardingAction}>
                    <input type="hidden" name="onboardingId" value={onboarding.id} />
                    <input type="hidden" name="from" value="dashboard" />
                    <Button type="submit" variant="secondary">
                      Revoke consent<span className="sr-only"> for {onboarding.skillName}</span>
                    </Button>
                  </form>
                ) : onboarding.status === 'revoked' ? null : (
                  <Link href={`/onboarding/${onboarding.id}`} className="font-semibold text-blue-800 underline">
                    Resume<span className="sr-only"> {onboarding.skillName}</span>
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
