import { countryName } from '@/lib/company/countries';
import type { StepKind } from '@guidepost/provider-contracts/finqware';
import { CURRENCIES, DOCUMENT_TYPES } from '@/lib/onboarding/step-schemas';

// Labels and display helpers live here, in a server-safe module, because both the client forms and
// this server-rendered summary use them: a "go back" view must read exactly like the form it replays.

export const CONSENT_LABEL = 'I consent to Guidepost receiving my account information from this bank for 90 days';

/** The visible label of each field, per step kind, in the order the form shows them. */
export const STEP_FIELD_LABELS = {
  product_form: { amount: 'Amount', currency: 'Currency', period: 'Period (months)' },
  personal_data: {
    firstName: 'First name',
    lastName: 'Last name',
    dateOfBirth: 'Date of birth',
    nationality: 'Nationality',
    addressLine1: 'Street address',
    addressLine2: 'Address line 2 (optional)',
    city: 'City',
    postalCode: 'Postal code',
    addressCountry: 'Country of residence',
  },
  consent: { accepted: CONSENT_LABEL },
  identity_document: { documentType: 'Document type', file: 'Identity document' },
  selfie: { file: 'Selfie' },
} as const satisfies Record<StepKind, Record<string, string>>;

// Written out rather than taken from Intl.DisplayNames: the server and each browser must render the
// same text, or hydration fails. Typed by CURRENCIES so a new currency cannot be left without a name.
const CURRENCY_NAMES: Record<(typeof CURRENCIES)[number], string> = {
  EUR: 'Euro',
  USD: 'US dollar',
  GBP: 'British pound',
  CHF: 'Swiss franc',
  RON: 'Romanian leu',
  PLN: 'Polish złoty',
  SEK: 'Swedish krona',
  DKK: 'Danish krone',
  NOK: 'Norwegian krone',
  CZK: 'Czech koruna',
  HUF: 'Hungarian forint',
};

export function currencyText(code: string): string {
  const name = (CURRENCY_NAMES as Record<string, string | undefined>)[code];
  return name ? `${code} – ${name}` : code;
}

function documentTypeText(type: string): string {
  return (DOCUMENT_TYPES as Record<string, string | undefined>)[type] ?? type;
}

/** "840 bytes", "12 KB", "2.4 MB": enough to recognise a file, in the decimal units the 10 MB limit uses. */
export function formatFileSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1000) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  if (bytes < 999_500) return `${Math.round(bytes / 1000)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

const NOT_GIVEN = 'Not given';

function fileText(answers: Record<string, string>): string {
  const name = answers.fileName?.trim();
  const size = answers.fileSize ? formatFileSize(Number(answers.fileSize)) : '';
  if (!name) return size ? `A file of ${size}` : 'Sent';
  return size ? `${name} (${size})` : name;
}

function rowsFor(kind: StepKind | 'unknown', answers: Record<string, string>): Array<[string, string]> {
  const value = (name: string) => answers[name]?.trim() || NOT_GIVEN;
  const country = (name: string) => {
    const code = answers[name]?.trim().toUpperCase();
    return code ? countryName(code) : NOT_GIVEN;
  };
  switch (kind) {
    case 'product_form': {
      const labels = STEP_FIELD_LABELS.product_form;
      return [
        [labels.amount, value('amount')],
        [labels.currency, answers.currency ? currencyText(answers.currency) : NOT_GIVEN],
        [labels.period, value('period')],
      ];
    }
    case 'personal_data': {
      const labels = STEP_FIELD_LABELS.personal_data;
      return [
        [labels.firstName, value('firstName')],
        [labels.lastName, value('lastName')],
        [labels.dateOfBirth, value('dateOfBirth')],
        [labels.nationality, country('nationality')],
        [labels.addressLine1, value('addressLine1')],
        [labels.addressLine2, value('addressLine2')],
        [labels.city, value('city')],
        [labels.postalCode, value('postalCode')],
        [labels.addressCountry, country('addressCountry')],
      ];
    }
    case 'consent':
      // The step is only done once the box was ticked; anything else would not have been sent.
      return [[CONSENT_LABEL, answers.accepted === 'on' || answers.accepted === 'true' ? 'Yes' : 'No']];
    case 'identity_document':
      return [
        [STEP_FIELD_LABELS.identity_document.documentType, answers.documentType ? documentTypeText(answers.documentType) : NOT_GIVEN],
        ['File', fileText(answers)],
      ];
    case 'selfie':
      return [['File', fileText(answers)]];
    case 'unknown':
      // A step Guidepost cannot render: show what was kept, under its own names.
      return Object.entries(answers).map(([name, text]) => [name, text || NOT_GIVEN]);
  }
}

/** What was sent for a finished step, read-only. Uploads show the file's name and size, never the file. */
export function StepSummary({ kind, answers }: { kind: StepKind | 'unknown'; answers: Record<string, string> }) {
  const rows = rowsFor(kind, answers);
  if (rows.length === 0) return <p className="text-sm text-slate-800">Nothing was kept for this step.</p>;
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm text-slate-900 sm:grid-cols-[max-content_1fr] sm:gap-y-2">
      {rows.map(([term, detail]) => (
        <div key={term} className="contents">
          <dt className="font-medium">{term}</dt>
          <dd className="mb-2 break-words sm:mb-0">{detail}</dd>
        </div>
      ))}
    </dl>
  );
}
