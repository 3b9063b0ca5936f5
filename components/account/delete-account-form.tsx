'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { failureMessage, fieldErrorsOf, type StateAction } from '@/lib/actions/result';

const FORM_ID = 'delete-account';

/**
 * The password, then a dialog that says what goes: only its confirm button submits. Success leaves the page (the
 * login page says the account is deleted); a wrong password or a provider that could not delete comes back here.
 */
export function DeleteAccountForm({ action }: { action: StateAction<undefined, 'password'> }) {
  const [state, formAction, pending] = useActionState(action, undefined);
  const t = useTranslations('auth.account.delete');
  const fieldErrors = fieldErrorsOf(state);
  return (
    <form id={FORM_ID} action={formAction} className="flex flex-col gap-4" noValidate>
      <p className="text-sm text-slate-800">{t('body')}</p>
      <Field name="password" label={t('password')} type="password" autoComplete="current-password" required hint={t('hint')} errors={fieldErrors.password} />
      <FormMessage tone="error" message={failureMessage(state)} />
      <div>
        <ConfirmDialog
          formId={FORM_ID}
          triggerLabel={pending ? t('pending') : t('submit')}
          disabled={pending}
          title={t('dialogTitle')}
          confirmLabel={t('confirm')}
        >
          <p>{t('dialogIntro')}</p>
          <ul className="list-disc pl-5">
            <li>{t('dialogAccount')}</li>
            <li>{t('dialogCompany')}</li>
            <li>{t('dialogOnboarding')}</li>
            <li>{t('dialogBridge')}</li>
          </ul>
          <p className="font-semibold">{t('dialogIrreversible')}</p>
        </ConfirmDialog>
      </div>
    </form>
  );
}
