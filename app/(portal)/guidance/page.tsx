import { randomUUID } from 'node:crypto';
import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { LocalTime } from '@/components/account/local-time';
import { AuditTrail } from '@/components/guidance/audit-trail';
import { GuidanceWorkspace } from '@/components/guidance/guidance-workspace';
import { Card } from '@/components/ui/card';
import { requireUser } from '@/lib/auth/dal';
import { missingForGuidance } from '@/lib/company/schema';
import { getCompanyProfile } from '@/lib/company/service';
import { guidanceOverview } from '@/lib/guidance/service';
import { guidanceAction } from './actions';

export const metadata: Metadata = { title: 'Guidance · Guidepost' };

const STATE_LABELS = {
  held: 'Password can be shown again',
  deleted: 'Password deleted after use',
  expired: 'Password expired',
  invalidated: 'Invalidated (suspected leak)',
} as const;

export default async function GuidancePage() {
  const user = await requireUser();
  const [profile, overview, company] = await Promise.all([getCompanyProfile(user.id), guidanceOverview(user.id), getTranslations('company')]);
  const latest = overview.sessions[0];
  return (
    <>
      <h1 className="text-2xl font-bold">Guidance</h1>
      <p className="text-slate-800">Bridge prepares financial guidance for your company. Open a session to read it on Bridge’s secure site.</p>
      <Card title="Your guidance session">
        <GuidanceWorkspace
          action={guidanceAction}
          // A new key on every render: a second send of the same form (double click) opens nothing.
          openKey={randomUUID()}
          missing={missingForGuidance(profile, company)}
          latest={latest ? { id: latest.id, passwordState: latest.passwordState, passwordExpiresAt: latest.passwordExpiresAt.toISOString() } : undefined}
        />
      </Card>
      {overview.sessions.length > 0 ? (
        <Card title="Recent sessions">
          <ul className="flex flex-col gap-2 text-sm">
            {overview.sessions.map((session) => (
              <li key={session.id} className="flex flex-wrap gap-x-3">
                <span className="font-mono text-xs">{session.id}</span>
                <span>
                  opened <LocalTime date={session.createdAt} timeZone={user.timeZone} />
                </span>
                <span className="font-medium">{STATE_LABELS[session.passwordState]}</span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card title="Password activity">
        <AuditTrail entries={overview.audit} timeZone={user.timeZone} />
      </Card>
    </>
  );
}
