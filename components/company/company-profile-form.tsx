'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useEffect, useRef, useState, type FormEvent } from 'react';
import { Field, FieldError } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { failureMessage, fieldErrorsOf, type ActionState, type FieldErrors, type StateAction } from '@/lib/actions/result';
import type { CountryOption } from '@/lib/company/country-filter';
import { LANGUAGE_NAMES, LANGUAGES, OTHER_ID_MAX, OTHER_ID_MIN, type CompanyProfileField, type CompanyProfileValues } from '@/lib/company/fields';
import { resolveFieldErrors } from '@/lib/i18n/message-ref';
import { useMessageResolver } from '@/lib/i18n/use-message-resolver';
import { ConfirmPasswordField } from '@/components/account/confirm-password-field';
import { CountryCombobox } from './country-combobox';

type Field = CompanyProfileField | 'password' | 'code';
// `values`: what was typed after a failure, what was stored after a save. 'reauth_required': the change
// needs the password typed again (step-up); the form asks for it and keeps the values.
type State = ActionState<undefined, Field>;
type Action = StateAction<undefined, Field>;

type Translate = ReturnType<typeof useTranslations<'company.form'>>;

function identificationHint(country: string, t: Translate): string {
  if (country === 'FR') return t('identificationHintFr');
  if (country === '') return t('identificationHintNone');
  return t('identificationHintOther', { min: OTHER_ID_MIN, max: OTHER_ID_MAX });
}

function phoneHint(country: string, t: Translate): string {
  return country === 'FR' ? t('phoneHintFr') : t('phoneHintOther');
}

// One message per field is enough to act on.
function firstOf(errors: string[] | undefined): string[] | undefined {
  return errors && errors.length > 0 ? [errors[0]!] : undefined;
}

/** `countries`: the country list in the page's language, made on the server (lib/company/countries.ts). */
export function CompanyProfileForm({
  action,
  initialValues,
  countries,
}: {
  action: Action;
  initialValues: CompanyProfileValues;
  countries: readonly CountryOption[];
}) {
  const [state, formAction] = useActionState(action, undefined);
  // React resets a form after its action: each result remounts the fields, whose defaults then show
  // what the result carries (the typed values after a failure, the stored ones after a save).
  const [shownState, setShownState] = useState(state);
  const [version, setVersion] = useState(0);
  if (state !== shownState) {
    setShownState(state);
    setVersion((v) => v + 1);
  }
  return (
    <ProfileFields
      key={version}
      state={state}
      formAction={formAction}
      values={state?.values ? { ...initialValues, ...state.values } : initialValues}
      countries={countries}
    />
  );
}

function ProfileFields({
  state,
  formAction,
  values,
  countries,
}: {
  state: State;
  formAction: (data: FormData) => void;
  values: CompanyProfileValues;
  countries: readonly CountryOption[];
}) {
  const t = useTranslations('company.form');
  const resolve = useMessageResolver();
  const formRef = useRef<HTMLFormElement>(null);
  const [country, setCountry] = useState(values.countryCode.trim().toUpperCase());
  // Errors found in the browser on submit; undefined until then, so the server's result shows.
  const [clientErrors, setClientErrors] = useState<FieldErrors<Field> | undefined>(undefined);
  const moveFocus = useRef<'first-error' | 'submit' | null>(state ? (state.ok ? 'submit' : 'first-error') : null);

  useEffect(() => {
    const form = formRef.current;
    const target = moveFocus.current;
    moveFocus.current = null;
    if (!form || !target) return;
    if (target === 'first-error') form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    // A save remounts the form: keep keyboard users where they were rather than at the top of the page.
    else if (document.activeElement === document.body) form.querySelector<HTMLElement>('button[type="submit"]')?.focus();
  });

  // The schema (zod, libphonenumber's metadata) comes after the page shows, not in its first load; a form sent before
  // it arrived is checked by the server alone, with the same messages.
  const validation = useRef<typeof import('@/lib/company/schema') | undefined>(undefined);
  useEffect(() => {
    void import('@/lib/company/schema').then((schema) => {
      validation.current = schema;
    });
  }, []);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    const schema = validation.current;
    if (!schema) return;
    const issues = schema.companyProfileIssues(new FormData(event.currentTarget));
    if (!issues) {
      setClientErrors({});
      return;
    }
    // The server checks again; this only spares a round trip for what the browser can already tell.
    event.preventDefault();
    moveFocus.current = 'first-error';
    // The schema's messages are references (lib/i18n/message-ref.ts): said here in the page's language.
    setClientErrors(resolveFieldErrors(issues, resolve));
  }

  const serverErrors = fieldErrorsOf(state);
  const reauth = state?.ok === false && state.error === 'reauth_required';
  const fieldErrors = clientErrors ?? serverErrors;
  const errorsFor = (name: CompanyProfileField) => firstOf(fieldErrors[name]);
  const hasFieldErrors = Object.values(fieldErrors).some((messages) => messages && messages.length > 0);

  let message: { tone: 'error' | 'success'; text?: string };
  if (hasFieldErrors) message = { tone: 'error', text: t('fixFields') };
  else if (clientErrors) message = { tone: 'success', text: undefined };
  else if (state?.ok) message = { tone: 'success', text: state.message };
  else message = { tone: 'error', text: failureMessage(state) };

  const languageErrors = errorsFor('language');
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="flex flex-col gap-5" noValidate>
      <Field
        name="companyName"
        label={t('companyName')}
        defaultValue={values.companyName}
        autoComplete="organization"
        required
        errors={errorsFor('companyName')}
      />
      <CountryCombobox
        countries={countries}
        defaultValue={values.countryCode}
        errors={errorsFor('countryCode')}
        hint={t('countryHint')}
        onChange={setCountry}
      />
      <Field
        name="identificationNumber"
        label={t('identification')}
        defaultValue={values.identificationNumber}
        autoComplete="off"
        spellCheck={false}
        required
        hint={identificationHint(country, t)}
        errors={errorsFor('identificationNumber')}
      />
      <div className="flex flex-col gap-1">
        <label htmlFor="field-language" className="text-sm font-medium text-slate-800">
          {t('language')}
        </label>
        <select
          id="field-language"
          name="language"
          defaultValue={values.language}
          aria-invalid={languageErrors ? true : undefined}
          aria-describedby={languageErrors ? 'field-language-hint field-language-error' : 'field-language-hint'}
          className="rounded-md border border-slate-400 bg-white px-3 py-2 text-slate-900 focus:outline-2 focus:outline-offset-1 focus:outline-blue-700 aria-invalid:border-red-700"
        >
          {LANGUAGES.map((code) => (
            <option key={code} value={code} lang={code}>
              {LANGUAGE_NAMES[code]}
            </option>
          ))}
        </select>
        <p id="field-language-hint" className="text-sm text-slate-600">
          {t('languageHint')}
        </p>
        <FieldError id="field-language-error" errors={languageErrors} />
      </div>
      <Field
        name="contactEmail"
        label={t('contactEmail')}
        type="email"
        autoComplete="email"
        defaultValue={values.contactEmail}
        required
        hint={t('contactEmailHint')}
        errors={errorsFor('contactEmail')}
      />
      <Field
        name="contactPhone"
        label={t('contactPhone')}
        type="tel"
        autoComplete="tel"
        defaultValue={values.contactPhone}
        hint={phoneHint(country, t)}
        errors={errorsFor('contactPhone')}
      />
      {reauth ? (
        // Step-up: changing who gets the guidance needs the password typed again; everything typed stays.
        <ConfirmPasswordField hint={t('reauthHint')} errors={firstOf(serverErrors.password)} codeErrors={firstOf(serverErrors.code)} />
      ) : null}
      <FormMessage tone={message.tone} message={message.text} />
      <div>
        <SubmitButton pendingLabel={t('pending')}>{t('submit')}</SubmitButton>
      </div>
    </form>
  );
}
