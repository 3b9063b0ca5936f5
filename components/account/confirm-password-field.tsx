import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import { Field } from '@/components/ui/field';

/** The Guidepost password, asked for again before a sensitive action (step-up). */
export function ConfirmPasswordField({ errors, hint, idBase }: { errors?: string[]; hint?: ReactNode; idBase?: string }) {
  // useTranslations works in server and client components alike: this field is rendered by both.
  const t = useTranslations('auth.confirmPassword');
  return <Field name="password" idBase={idBase} label={t('label')} type="password" autoComplete="current-password" required hint={hint} errors={errors} />;
}
