'use client';

import { useMemo, useState } from 'react';
import { Combobox, ComboboxInput, ComboboxOption, ComboboxOptions, Description, Field, Label } from '@headlessui/react';
import { useTranslations } from 'next-intl';
import { filterCountryOptions, type CountryOption } from '@/lib/company/country-filter';

interface CountryComboboxProps {
  /**
   * Every country, named in the page's language and searchable in all of ours: made on the server
   * (countryOptions), so the browser's own ICU never names a country differently from the server's HTML.
   */
  countries: readonly CountryOption[];
  /** ISO 3166-1 alpha-2 code to start with; '' for none. */
  defaultValue?: string;
  errors?: string[];
  hint?: string;
  onChange?: (code: string) => void;
}

/** A searchable country select; the chosen code is submitted as `countryCode`. */
export function CountryCombobox({ countries, defaultValue = '', errors, hint, onChange }: CountryComboboxProps) {
  const t = useTranslations('company.form');
  const [code, setCode] = useState<string | null>(defaultValue || null);
  const [query, setQuery] = useState('');
  const options = useMemo(() => filterCountryOptions(query, countries), [query, countries]);
  const names = useMemo(() => new Map(countries.map((country) => [country.code, country.name])), [countries]);
  const nameOf = (value: string) => names.get(value) ?? value;
  const invalid = Boolean(errors && errors.length > 0);

  return (
    // Headless UI's Field ties the hint and the error to the input through aria-describedby.
    <Field className="flex flex-col gap-1">
      {/* Our own hidden field rather than Headless UI's, which carries an inline style the CSP refuses. */}
      <input type="hidden" name="countryCode" value={code ?? ''} />
      <Combobox
        value={code}
        onChange={(next: string | null) => {
          setCode(next);
          onChange?.(next ?? '');
        }}
        onClose={() => setQuery('')}
        invalid={invalid}
        // Opens on focus, so no separate toggle button: a second control named "Country" would confuse.
        immediate
      >
        <Label className="text-sm font-medium text-slate-800">{t('country')}</Label>
        <div className="relative">
          <ComboboxInput
            // Posted too, for a form sent before JavaScript runs (the server reads a country named exactly).
            name="countryQuery"
            aria-invalid={invalid || undefined}
            autoComplete="off"
            // Rendered on the server too, so the saved country shows before hydration.
            defaultValue={defaultValue ? nameOf(defaultValue) : ''}
            className="w-full rounded-md border border-slate-400 bg-white py-2 pr-10 pl-3 text-slate-900 placeholder:text-slate-600 focus:outline-2 focus:outline-offset-1 focus:outline-blue-700 data-invalid:border-red-700"
            displayValue={(value: string | null) => (value ? nameOf(value) : '')}
            onChange={(event) => setQuery(event.target.value)}
            placeholder={t('countryPlaceholder')}
          />
          <span className="pointer-events-none absolute inset-y-0 right-0 flex items-center px-3 text-slate-700">
            <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-5">
              <path
                fillRule="evenodd"
                d="M5.22 8.22a.75.75 0 0 1 1.06 0L10 11.94l3.72-3.72a.75.75 0 1 1 1.06 1.06l-4.25 4.25a.75.75 0 0 1-1.06 0L5.22 9.28a.75.75 0 0 1 0-1.06Z"
                clipRule="evenodd"
              />
            </svg>
          </span>
        </div>
        <ComboboxOptions
          anchor="bottom start"
          // Not modal: the "no country matches" status beside the input must stay readable while the list is open.
          modal={false}
          className="z-20 max-h-72 w-(--input-width) overflow-y-auto rounded-md border border-slate-300 bg-white py-1 shadow-lg [--anchor-gap:4px] empty:invisible"
        >
          {options.map((country) => (
            <ComboboxOption
              key={country.code}
              value={country.code}
              className="flex cursor-default items-center justify-between gap-3 px-3 py-2 text-sm text-slate-900 select-none data-focus:bg-blue-800 data-focus:text-white data-selected:font-semibold"
            >
              {country.name}
              <span aria-hidden="true" className="text-xs opacity-80">
                {country.code}
              </span>
            </ComboboxOption>
          ))}
        </ComboboxOptions>
      </Combobox>
      {/* Always rendered: a live region announces reliably only once it is in the page. */}
      <p role="status" className="text-sm text-slate-700">
        {options.length === 0 ? t('noCountryMatch', { query: query.trim() }) : ''}
      </p>
      {hint ? <Description className="text-sm text-slate-600">{hint}</Description> : null}
      {invalid ? <Description className="text-sm text-red-800">{errors?.join(' ')}</Description> : null}
    </Field>
  );
}
