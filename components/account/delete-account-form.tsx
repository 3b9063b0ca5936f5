'use client';

import { useActionState } from 'react';
import { Field } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { failureMessage, fieldErrorsOf, type StateAction } from '@/lib/actions/result';

export function DeleteAccountForm({ action }: { action: StateAction<undefined, 'password'> }) {
  const [state, formAction] = useActionState(action, undefined);
  const fieldErrors = fieldErrorsOf(state);
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <p className="text-sm text-slate-800">
        This deletes your account, your company profile and everything Guidepost holds about you, and asks our providers to delete what they hold. It cannot be
        undone.
      </p>
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        hint="Type your password to confirm."
        errors={fieldErrors.password}
      />
      <FormMessage tone="error" message={failureMessage(state)} />
      <div>
        <SubmitButton variant="danger" pendingLabel="Deleting your account…">
          Delete my account
        </SubmitButton>
      </div>
    </form>
  );
}
