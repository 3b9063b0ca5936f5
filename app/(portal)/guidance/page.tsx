import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getTranslations } from '@/lib/i18n/server';
import { LocalTime } from '@/components/account/local-time';
import { AuditTrail } from '@/components/guidance/audit-trail';
import { GuidanceWorkspace } from '@/components/guidance/guidance-workspace';
import { SessionState } from '@/components/guidance/session-state';
import { Card } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/dal';
import { VerifyNotice } from '@/components/account/verify-notice';
import { resendVerificationAction } from '../verify-actions';
import { missingForGuidance } from '@/lib/company/schema';
import { getCompanyProfile } from '@/lib/company/service';
import { guidanceOverview } from '@/lib/guidance/service';
import { shortReference } from '@/lib/short-reference';
import { guidanceAction } from './actions';

export async function generateMetadata(): Promise<Metadata> {
  const [common, t] = await Promise.all([getTranslations('common'), getTranslations('guidance.page')]);
  return { title: common('app.title', { page: t('title') }) };
}

export default async function GuidancePage() {
  const user = await requireUser();
  const [profile, overview, t, company] = await Promise.all([
    getCompanyProfile(user.id),
    guidanceOverview(user.id),
    getTranslations('guidance'),
    getTranslations('company'),
  ]);
  // The one time every countdown on the page starts from, on the server and in the browser's first render.
  const serverNow = overview.checkedAt.getTime();
  const latest = overview.sessions[0];
  return (
    <>
      <h1 className="text-2xl font-bold">{t('page.heading')}</h1>
      <p className="text-slate-800">{t('page.intro')}</p>
      {user.emailVerified ? null : <VerifyNotice email={user.email} action={resendVerificationAction} />}
      <Card title={t('page.sessionCard')}>
        <GuidanceWorkspace
          action={guidanceAction}
          // A new key on every render: a second send of the same form (double click) opens nothing.
          openKey={randomUUID()}
          missing={missingForGuidance(profile, company)}
          latest={
            latest
              ? { id: latest.id, url: latest.url, passwordState: latest.passwordState, passwordExpiresAt: latest.passwordExpiresAt.toISOString() }
              : undefined
          }
          serverNow={serverNow}
        />
      </Card>
      {overview.sessions.length > 0 ? (
        <Card title={t('page.recentCard')}>
          <ul className="flex flex-col gap-2 text-sm">
            {overview.sessions.map((session) => (
              <li key={session.id} className="flex flex-wrap gap-x-3">
                <span className="font-mono text-xs leading-5">{t('sessions.reference', { reference: shortReference(session.id) })}</span>
                <span>{t.rich('sessions.opened', { time: () => <LocalTime date={session.createdAt} timeZone={user.timeZone} /> })}</span>
                <SessionState state={session.passwordState} expiresAt={session.passwordExpiresAt.toISOString()} serverNow={serverNow} />
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card title={t('page.activityCard')}>
        <AuditTrail entries={overview.audit} timeZone={user.timeZone} />
      </Card>
    </>
  );
}
