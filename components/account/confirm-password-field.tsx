import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import { SecondFactorFields } from '@/components/two-factor/second-factor-fields';
import { Field } from '@/components/ui/field';

/**
 * The Guidepost password, asked for again before a sensitive action (step-up), and the second factor with it when
 * the user has one (the portal layout tells SecondFactorFields which).
 */
export function ConfirmPasswordField({ errors, codeErrors, hint, idBase }: { errors?: string[]; codeErrors?: string[]; hint?: ReactNode; idBase?: string }) {
  // useTranslations works in server and client components alike: this field is rendered by both.
  const t = useTranslations('auth.confirmPassword');
  return (
    <>
      <Field name="password" idBase={idBase} label={t('label')} type="password" autoComplete="current-password" required hint={hint} errors={errors} />
      <SecondFactorFields errors={codeErrors} idBase={idBase} />
    </>
  );
}
