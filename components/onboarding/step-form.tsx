'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useEffect, useRef, useState, type FormEvent } from 'react';
import { Field, FieldError } from '@/components/ui/field';
import { FormMessage } from '@/components/ui/form-message';
import { SubmitButton } from '@/components/ui/submit-button';
import { failureMessage, fieldErrorsOf, type ActionState, type StateAction } from '@/lib/actions/result';
import type { CountryOption } from '@/lib/onboarding/country-options';
import { CURRENCIES, type FormStepKind } from '@/lib/onboarding/step-fields';

type FieldErrors = Record<string, string[] | undefined>;

interface StepFormProps {
  kind: FormStepKind;
  onboardingId: string;
  stepIndex: number;
  /** Sends the step; on success it redirects to the next one, so only failures come back. */
  action: StateAction;
  /** Values to start with, e.g. answers kept from an earlier attempt. */
  defaults?: Record<string, string>;
  /** Form action that starts the onboarding again; offered when the server answers `restart: true`. */
  onRestart?: (data: FormData) => Promise<void>;
  /** The countries named and sorted in the user's language, from the server (lib/onboarding/country-options.ts). */
  countries: readonly CountryOption[];
}

const SELECT_CLASS =
  'rounded-md border border-slate-400 bg-white px-3 py-2 text-slate-900 focus:outline-2 focus:outline-offset-1 focus:outline-blue-700 aria-invalid:border-red-700';

// One message per field is enough to act on.
function firstOf(errors: string[] | undefined): string[] | undefined {
  return errors && errors.length > 0 ? [errors[0]!] : undefined;
}

export function StepForm({ kind, onboardingId, stepIndex, action, defaults, onRestart, countries }: StepFormProps) {
  const [state, formAction] = useActionState(action, undefined);
  // React resets a form after its action: each result remounts the fields, whose defaults then show
  // what the result carries (what the user typed, returned by the server after a failure).
  const [shownState, setShownState] = useState(state);
  const [version, setVersion] = useState(0);
  if (state !== shownState) {
    setShownState(state);
    setVersion((v) => v + 1);
  }
  return (
    <div className="flex flex-col gap-6">
      <StepFields
        key={version}
        kind={kind}
        onboardingId={onboardingId}
        stepIndex={stepIndex}
        state={state}
        formAction={formAction}
        values={state?.values ?? defaults ?? {}}
        countries={countries}
      />
      {state?.ok === false && state.restart && onRestart ? <RestartOnboardingForm onboardingId={onboardingId} onRestart={onRestart} /> : null}
    </div>
  );
}

interface StepFieldsProps {
  kind: FormStepKind;
  onboardingId: string;
  stepIndex: number;
  state: ActionState;
  formAction: (data: FormData) => void;
  values: Record<string, string>;
  countries: readonly CountryOption[];
}

function StepFields({ kind, onboardingId, stepIndex, state, formAction, values, countries }: StepFieldsProps) {
  const t = useTranslations('onboardingSteps');
  // The same schema as the server's, with its messages in the user's language. It comes after the page shows (zod and
  // the country list are not in its first load); a form sent before it arrived is checked by the server alone.
  const validation = useRef<typeof import('@/lib/onboarding/step-schemas') | undefined>(undefined);
  useEffect(() => {
    void import('@/lib/onboarding/step-schemas').then((schemas) => {
      validation.current = schemas;
    });
  }, []);
  const formRef = useRef<HTMLFormElement>(null);
  // Errors found in the browser on submit; undefined until then, so the server's result shows.
  const [clientErrors, setClientErrors] = useState<FieldErrors | undefined>(undefined);
  // A result remounts the fields and drops the focus: set it where the user can act on the result.
  const moveFocus = useRef(state !== undefined);

  useEffect(() => {
    const form = formRef.current;
    if (!moveFocus.current || !form) return;
    moveFocus.current = false;
    const firstInvalid = form.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (firstInvalid) firstInvalid.focus();
    else if (document.activeElement === document.body) form.querySelector<HTMLElement>('button[type="submit"]')?.focus();
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    const schemas = validation.current;
    if (!schemas) return;
    const data = new FormData(event.currentTarget);
    // The form's values under the schema's own field names, as the server action reads them.
    const errors = schemas.stepFieldErrors(t, kind, (name) => {
      const value = data.get(name);
      return typeof value === 'string' ? value : undefined;
    });
    if (!errors) {
      setClientErrors({});
      return;
    }
    // The server checks again; this only spares a round trip for what the browser can already tell.
    event.preventDefault();
    moveFocus.current = true;
    setClientErrors(errors as FieldErrors);
  }

  const serverErrors: FieldErrors = fieldErrorsOf(state);
  const fieldErrors = clientErrors ?? serverErrors;
  const errorsFor = (name: string) => firstOf(fieldErrors[name]);
  const hasFieldErrors = Object.values(fieldErrors).some((messages) => messages && messages.length > 0);

  let message: string | undefined;
  const fixFields = t('form.fixFields');
  if (hasFieldErrors) message = clientErrors ? fixFields : (failureMessage(state) ?? fixFields);
  else if (!clientErrors) message = failureMessage(state);

  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} className="flex flex-col gap-5" noValidate>
      <input type="hidden" name="onboardingId" value={onboardingId} />
      <input type="hidden" name="stepIndex" value={stepIndex} />
      {kind === 'product_form' ? <ProductFields values={values} errorsFor={errorsFor} /> : null}
      {kind === 'personal_data' ? <PersonalFields values={values} errorsFor={errorsFor} countries={countries} /> : null}
      {kind === 'consent' ? <ConsentField values={values} errors={errorsFor('accepted')} /> : null}
      <FormMessage tone="error" message={message} />
      <div>
        <SubmitButton pendingLabel={t('form.sending')}>{t('form.continue')}</SubmitButton>
      </div>
    </form>
  );
}

interface FieldsProps {
  values: Record<string, string>;
  errorsFor: (name: string) => string[] | undefined;
}

function ProductFields({ values, errorsFor }: FieldsProps) {
  const t = useTranslations('onboardingSteps');
  return (
    <>
      <Field
        name="amount"
        label={t('fields.amount')}
        inputMode="decimal"
        autoComplete="off"
        defaultValue={values.amount ?? ''}
        required
        hint={t('hints.amount')}
        errors={errorsFor('amount')}
      />
      <SelectField name="currency" label={t('fields.currency')} defaultValue={values.currency || 'EUR'} errors={errorsFor('currency')}>
        {CURRENCIES.map((code) => (
          <option key={code} value={code}>
            {t('currencyOption', { code, name: t(`currencies.${code}`) })}
          </option>
        ))}
      </SelectField>
      <Field
        name="period"
        label={t('fields.period')}
        inputMode="numeric"
        autoComplete="off"
        defaultValue={values.period ?? ''}
        required
        hint={t('hints.period')}
        errors={errorsFor('period')}
      />
    </>
  );
}

function PersonalFields({ values, errorsFor, countries }: FieldsProps & { countries: readonly CountryOption[] }) {
  const t = useTranslations('onboardingSteps');
  return (
    <>
      <Field
        name="firstName"
        label={t('fields.firstName')}
        autoComplete="given-name"
        defaultValue={values.firstName ?? ''}
        required
        errors={errorsFor('firstName')}
      />
      <Field
        name="lastName"
        label={t('fields.lastName')}
        autoComplete="family-name"
        defaultValue={values.lastName ?? ''}
        required
        errors={errorsFor('lastName')}
      />
      <Field
        name="dateOfBirth"
        label={t('fields.dateOfBirth')}
        // A date input submits YYYY-MM-DD whatever the display format of the user's locale.
        type="date"
        autoComplete="bday"
        defaultValue={values.dateOfBirth ?? ''}
        required
        errors={errorsFor('dateOfBirth')}
      />
      <CountrySelect
        name="nationality"
        label={t('fields.nationality')}
        defaultValue={values.nationality}
        errors={errorsFor('nationality')}
        countries={countries}
      />
      <Field
        name="addressLine1"
        label={t('fields.addressLine1')}
        autoComplete="address-line1"
        defaultValue={values.addressLine1 ?? ''}
        required
        errors={errorsFor('addressLine1')}
      />
      <Field
        name="addressLine2"
        label={t('fields.addressLine2')}
        autoComplete="address-line2"
        defaultValue={values.addressLine2 ?? ''}
        errors={errorsFor('addressLine2')}
      />
      <Field name="city" label={t('fields.city')} autoComplete="address-level2" defaultValue={values.city ?? ''} required errors={errorsFor('city')} />
      <Field
        name="postalCode"
        label={t('fields.postalCode')}
        autoComplete="postal-code"
        defaultValue={values.postalCode ?? ''}
        required
        errors={errorsFor('postalCode')}
      />
      <CountrySelect
        name="addressCountry"
        label={t('fields.addressCountry')}
        autoComplete="country"
        defaultValue={values.addressCountry}
        errors={errorsFor('addressCountry')}
        countries={countries}
      />
    </>
  );
}

function ConsentField({ values, errors }: { values: Record<string, string>; errors?: string[] }) {
  const t = useTranslations('onboardingSteps');
  const invalid = Boolean(errors && errors.length > 0);
  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-start gap-3">
        <input
          id="field-accepted"
          name="accepted"
          type="checkbox"
          defaultChecked={values.accepted === 'on'}
          required
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? 'field-accepted-error' : undefined}
          className="mt-0.5 size-5 shrink-0 accent-blue-800 focus:outline-2 focus:outline-offset-2 focus:outline-blue-700"
        />
        <label htmlFor="field-accepted" className="text-sm text-slate-900">
          {t('fields.accepted')}
        </label>
      </div>
      <FieldError id="field-accepted-error" errors={errors} />
    </div>
  );
}

interface SelectFieldProps {
  name: string;
  label: string;
  defaultValue?: string;
  /** Controlled instead, with onChange (the upload form shows the sides of the chosen document). */
  value?: string;
  onChange?: (event: React.ChangeEvent<HTMLSelectElement>) => void;
  disabled?: boolean;
  /** The id of a note about the field, besides its error. */
  describedBy?: string;
  errors?: string[];
  autoComplete?: string;
  children: React.ReactNode;
}

/** A labelled native select whose error is tied to it, like Field for inputs. */
export function SelectField({ name, label, defaultValue, value, onChange, disabled, describedBy, errors, autoComplete, children }: SelectFieldProps) {
  const id = `field-${name}`;
  const invalid = Boolean(errors && errors.length > 0);
  const described = [describedBy, invalid ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      <select
        id={id}
        name={name}
        {...(value !== undefined ? { value, onChange } : { defaultValue })}
        disabled={disabled}
        autoComplete={autoComplete}
        required
        aria-invalid={invalid || undefined}
        aria-describedby={described}
        className={SELECT_CLASS}
      >
        {children}
      </select>
      <FieldError id={`${id}-error`} errors={errors} />
    </div>
  );
}

// A native select rather than the company form's combobox, which is tied to the `countryCode` field.
function CountrySelect({
  name,
  label,
  defaultValue,
  errors,
  autoComplete,
  countries,
}: Omit<SelectFieldProps, 'children'> & { countries: readonly CountryOption[] }) {
  const t = useTranslations('onboardingSteps');
  return (
    <SelectField name={name} label={label} defaultValue={defaultValue?.trim().toUpperCase() ?? ''} errors={errors} autoComplete={autoComplete}>
      <option value="">{t('chooseCountry')}</option>
      {countries.map((country) => (
        <option key={country.code} value={country.code}>
          {country.name}
        </option>
      ))}
    </SelectField>
  );
}

/** Starts the onboarding again when the provider's session can no longer go on (e.g. its nonce expired). */
export function RestartOnboardingForm({ onboardingId, onRestart }: { onboardingId: string; onRestart: (data: FormData) => Promise<void> }) {
  const t = useTranslations('onboardingSteps');
  return (
    <form action={onRestart} className="flex flex-col gap-3 rounded-md border border-slate-300 bg-slate-50 p-4">
      <input type="hidden" name="onboardingId" value={onboardingId} />
      <p className="text-sm text-slate-900">{t('form.restartKept')}</p>
      <div>
        <SubmitButton variant="secondary" pendingLabel={t('form.restarting')}>
          {t('form.restart')}
        </SubmitButton>
      </div>
    </form>
  );
}
