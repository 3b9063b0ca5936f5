'use client';

import { useActionState } from 'react';
import { Field } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import type { DeleteAccountState } from '@/app/(portal)/settings/account/actions';

export function DeleteAccountForm({ action }: { action: (state: DeleteAccountState, data: FormData) => Promise<DeleteAccountState> }) {
  const [state, formAction] = useActionState(action, undefined);
  const fieldErrors = state && !state.ok && 'fieldErrors' in state ? state.fieldErrors : {};
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <p className="text-sm text-slate-800">
        This deletes your account, your company profile and everything Guidepost holds about you, and asks our providers to delete what they
        hold. It cannot be undone.
      </p>
      <Field name="password" label="Password" type="password" autoComplete="current-password" required hint="Type your password to confirm." errors={fieldErrors.password} />
      <FormMessage tone="error" message={state && !state.ok && 'error' in state ? state.message : undefined} />
      <div>
        <SubmitButton variant="danger" pendingLabel="Deleting your account…">
          Delete my account
        </SubmitButton>
      </div>
    </form>
  );
}
