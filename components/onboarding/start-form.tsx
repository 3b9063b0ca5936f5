'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { failureMessage, type StateAction } from '@/lib/actions/result';

/** Starts an onboarding for one product; a failure is said right under its button. */
export function StartForm({ skillId, skillName, action }: { skillId: string; skillName: string; action: StateAction }) {
  const [state, formAction] = useActionState(action, undefined);
  const t = useTranslations('onboarding.list');
  return (
    <form action={formAction} className="flex flex-col gap-2">
      <input type="hidden" name="skillId" value={skillId} />
      <div>
        <SubmitButton pendingLabel={t('starting')}>
          {t.rich('start', { name: skillName, hidden: (chunks) => <span className="sr-only">{chunks}</span> })}
        </SubmitButton>
      </div>
      <FormMessage tone="error" message={failureMessage(state)} />
    </form>
  );
}
