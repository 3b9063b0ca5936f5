'use client';

import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslations } from 'next-intl';
import { filterCountryOptions, fold, type CountryOption } from '@/lib/company/country-filter';

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

/**
 * A searchable country select; the chosen code is submitted as `countryCode`. WAI-ARIA's combobox with a list
 * popup (APG "editable combobox with list autocomplete"), written here rather than taken from Headless UI, whose
 * Combobox and its positioning library were 36 KB of the page's first-load JavaScript (gzip). Keys: typing filters
 * (names in every language of the portal, accents aside), Down and Up move through the list (and open it), Enter
 * chooses, Escape closes and puts back the chosen country's name; the list opens on focus.
 */
export function CountryCombobox({ countries, defaultValue = '', errors, hint, onChange }: CountryComboboxProps) {
  const t = useTranslations('company.form');
  const id = useId();
  const names = useMemo(() => new Map(countries.map((country) => [country.code, country.name])), [countries]);
  const nameOf = (value: string | null) => (value ? (names.get(value) ?? value) : '');
  const [code, setCode] = useState<string | null>(defaultValue || null);
  // What the input shows: the chosen country's name, or what the user is typing.
  const [text, setText] = useState(() => nameOf(defaultValue || null));
  // null: the list shows every country (just opened, or after a choice); a string: the user is searching.
  const [query, setQuery] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listRef = useRef<HTMLUListElement>(null);
  const options = useMemo(() => filterCountryOptions(query ?? '', countries), [query, countries]);
  const invalid = Boolean(errors && errors.length > 0);
  const optionId = (index: number) => `${id}-option-${index}`;

  function show(index: number) {
    setActive(index);
    listRef.current?.querySelector(`#${CSS.escape(optionId(index))}`)?.scrollIntoView({ block: 'nearest' });
  }

  function openList() {
    if (open) return;
    setOpen(true);
    // Start on the chosen country, as a select does.
    const chosen = query === null && code ? options.findIndex((country) => country.code === code) : -1;
    setActive(chosen);
    if (chosen >= 0) requestAnimationFrame(() => show(chosen));
  }

  function close(typedText = text) {
    setOpen(false);
    setActive(-1);
    setQuery(null);
    // An emptied field means no country; a country named in full (in any of our languages) or by its code is chosen,
    // as the server does without JavaScript; anything else goes back to the chosen country's name.
    const typed = fold(typedText.trim());
    const named = typed === '' ? undefined : countries.find((country) => country.code.toLowerCase() === typed || country.search.includes(typed));
    const next = typed === '' ? null : (named?.code ?? code);
    if (next !== code) {
      setCode(next);
      onChange?.(next ?? '');
    }
    setText(nameOf(next));
  }

  function choose(next: CountryOption) {
    setCode(next.code);
    setText(next.name);
    setQuery(null);
    setOpen(false);
    setActive(-1);
    if (next.code !== code) onChange?.(next.code);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (options.length === 0) return openList();
      if (!open) {
        openList();
        if (active < 0) show(event.key === 'ArrowDown' ? 0 : options.length - 1);
        return;
      }
      const step = event.key === 'ArrowDown' ? 1 : -1;
      show(active < 0 ? (step === 1 ? 0 : options.length - 1) : (active + step + options.length) % options.length);
    } else if (event.key === 'Enter') {
      // Enter on an open list chooses; otherwise it submits the form, as in any text field.
      if (open && active >= 0 && options[active]) {
        event.preventDefault();
        choose(options[active]);
      }
    } else if (event.key === 'Escape') {
      // Escape takes nothing typed: the chosen country's name comes back.
      if (open) {
        event.preventDefault();
        close(nameOf(code));
      }
    }
  }

  const describedBy = [hint ? `${id}-hint` : null, invalid ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="flex flex-col gap-1">
      <input type="hidden" name="countryCode" value={code ?? ''} />
      <label htmlFor={`${id}-input`} className="text-sm font-medium text-slate-800">
        {t('country')}
      </label>
      <div className="relative">
        <input
          id={`${id}-input`}
          // Posted too, for a form sent before JavaScript runs (the server reads a country named exactly).
          name="countryQuery"
          type="text"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={`${id}-list`}
          aria-activedescendant={open && active >= 0 ? optionId(active) : undefined}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          autoComplete="off"
          value={text}
          placeholder={t('countryPlaceholder')}
          className="w-full rounded-md border border-slate-400 bg-white py-2 pr-10 pl-3 text-slate-900 placeholder:text-slate-600 focus:outline-2 focus:outline-offset-1 focus:outline-blue-700 aria-invalid:border-red-700"
          onFocus={openList}
          onClick={openList}
          onBlur={() => close()}
          onKeyDown={onKeyDown}
          onChange={(event) => {
            // Set by script, not typed (a draft put back after a login, components/account/form-drafts.tsx): taken as
            // if typed and the field then left, without opening the list.
            if (document.activeElement !== event.target) return close(event.target.value);
            setText(event.target.value);
            setQuery(event.target.value);
            setOpen(true);
            // The best match is the one Enter takes.
            setActive(event.target.value.trim() === '' ? -1 : 0);
            if (listRef.current) listRef.current.scrollTop = 0;
          }}
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
        <ul
          ref={listRef}
          id={`${id}-list`}
          role="listbox"
          aria-label={t('country')}
          hidden={!open || options.length === 0}
          className="absolute top-full left-0 z-20 mt-1 max-h-72 w-full overflow-y-auto rounded-md border border-slate-300 bg-white py-1 shadow-lg"
        >
          {open
            ? options.map((country, index) => (
                <li
                  key={country.code}
                  id={optionId(index)}
                  role="option"
                  aria-selected={country.code === code}
                  data-active={index === active || undefined}
                  // Keep the focus in the input: the choice happens on click, the list closes on blur.
                  onMouseDown={(event) => event.preventDefault()}
                  onMouseMove={() => index !== active && setActive(index)}
                  onClick={() => choose(country)}
                  className="flex cursor-default items-center justify-between gap-3 px-3 py-2 text-sm text-slate-900 select-none aria-selected:font-semibold data-active:bg-blue-800 data-active:text-white"
                >
                  {country.name}
                  <span aria-hidden="true" className="text-xs opacity-80">
                    {country.code}
                  </span>
                </li>
              ))
            : null}
        </ul>
      </div>
      {/* Always rendered: a live region announces reliably only once it is in the page. */}
      <p id={`${id}-status`} role="status" className="text-sm text-slate-700">
        {open && options.length === 0 ? t('noCountryMatch', { query: (query ?? '').trim() }) : ''}
      </p>
      {hint ? (
        <p id={`${id}-hint`} className="text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      {invalid ? (
        <p id={`${id}-error`} className="text-sm text-red-800">
          {errors?.join(' ')}
        </p>
      ) : null}
    </div>
  );
}
