import { getTranslations } from '@/lib/i18n/server';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { revokeOnboardingAction } from '@/app/(portal)/onboarding/[id]/actions';

/**
 * "Revoke consent": a confirmation dialog says what will happen (Guidepost can no longer read the data, the
 * credentials Finqware gave are deleted, it cannot be undone, a new onboarding is needed) before the form
 * is sent. On the onboarding's page the result is said there (`?notice=revoked`); from the dashboard
 * (`from="dashboard"`), the dashboard is shown again.
 */
export async function RevokeConsentForm({ onboardingId, skillName, from }: { onboardingId: string; skillName: string; from?: 'dashboard' }) {
  const t = await getTranslations('onboarding.page.revoke');
  const formId = `revoke-consent-${onboardingId}`;
  return (
    <div>
      <form id={formId} action={revokeOnboardingAction}>
        <input type="hidden" name="onboardingId" value={onboardingId} />
        {from ? <input type="hidden" name="from" value={from} /> : null}
      </form>
      <ConfirmDialog formId={formId} triggerLabel={t('button')} title={t('dialogTitle', { skill: skillName })} confirmLabel={t('confirm')}>
        <p>{t('noMoreData')}</p>
        <p>{t('credentialsDeleted')}</p>
        <p className="font-semibold">{t('final')}</p>
      </ConfirmDialog>
    </div>
  );
}
