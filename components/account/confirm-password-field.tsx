import type { ReactNode } from 'react';
import { Field } from '@/components/ui/field';

/** The Guidepost password, asked for again before a sensitive action (step-up). */
export function ConfirmPasswordField({ errors, hint, idBase }: { errors?: string[]; hint?: ReactNode; idBase?: string }) {
  return (
    <Field
      name="password"
      idBase={idBase}
      label="Your Guidepost password"
      type="password"
      autoComplete="current-password"
      required
      hint={hint}
      errors={errors}
    />
  );
}
