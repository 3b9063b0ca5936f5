import { getLocale } from 'next-intl/server';
import { getTranslations } from '@/lib/i18n/server';
import type { StepKind } from '@guidepost/provider-contracts/finqware';
import { formatAmount } from '@/lib/i18n/format';
import { countryNameIn } from '@/lib/onboarding/country-options';
import { CURRENCIES, DOCUMENT_TYPES, type StepsTranslator } from '@/lib/onboarding/step-schemas';
import type { Locale } from '@/lib/i18n/locales';
import { formatFileSize } from './file-size';

// A finished step read back with the form's own labels (onboardingSteps.fields), in the user's language:
// a "go back" view must read exactly like the form it replays.

const isCurrency = (code: string): code is (typeof CURRENCIES)[number] => (CURRENCIES as readonly string[]).includes(code);
const isDocumentType = (type: string): type is (typeof DOCUMENT_TYPES)[number] => (DOCUMENT_TYPES as readonly string[]).includes(type);

/** "EUR – Euro", as the currency select shows it. */
export function currencyText(code: string, t: StepsTranslator): string {
  return isCurrency(code) ? t('currencyOption', { code, name: t(`currencies.${code}`) }) : code;
}

function fileText(name: string | undefined, size: string | undefined, t: StepsTranslator): string {
  const shown = name?.trim();
  const sizeText = size ? formatFileSize(Number(size), t) : '';
  if (!shown) return sizeText ? t('summary.fileOfSize', { size: sizeText }) : t('summary.sent');
  return sizeText ? t('summary.nameAndSize', { name: shown, size: sizeText }) : shown;
}

/** The amount as typed (a decimal string), with its currency in the user's format: "€100,000.00", "100 000,00 €". */
function amountText(amount: string | undefined, currency: string | undefined, locale: Locale): string | undefined {
  const value = amount?.trim();
  if (!value) return undefined;
  try {
    return currency && isCurrency(currency) ? formatAmount(value, currency, locale) : value;
  } catch {
    return value;
  }
}

/** A date of birth (YYYY-MM-DD) as the user writes dates: a calendar day, in no time zone. */
function dayText(value: string | undefined, locale: Locale): string | undefined {
  const day = value?.trim();
  if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return day || undefined;
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

function rowsFor(kind: StepKind | 'unknown', answers: Record<string, string>, t: StepsTranslator, locale: Locale): Array<[string, string]> {
  const notGiven = t('summary.notGiven');
  const value = (name: string) => answers[name]?.trim() || notGiven;
  const country = (name: string) => {
    const code = answers[name]?.trim().toUpperCase();
    return code ? countryNameIn(code, locale) : notGiven;
  };
  switch (kind) {
    case 'product_form':
      return [
        [t('fields.amount'), amountText(answers.amount, answers.currency, locale) ?? notGiven],
        [t('fields.currency'), answers.currency ? currencyText(answers.currency, t) : notGiven],
        [t('fields.period'), value('period')],
      ];
    case 'personal_data':
      return [
        [t('fields.firstName'), value('firstName')],
        [t('fields.lastName'), value('lastName')],
        [t('fields.dateOfBirth'), dayText(answers.dateOfBirth, locale) ?? notGiven],
        [t('fields.nationality'), country('nationality')],
        [t('fields.addressLine1'), value('addressLine1')],
        [t('fields.addressLine2'), value('addressLine2')],
        [t('fields.city'), value('city')],
        [t('fields.postalCode'), value('postalCode')],
        [t('fields.addressCountry'), country('addressCountry')],
      ];
    case 'consent':
      // The step is only done once the box was ticked; anything else would not have been sent.
      return [[t('fields.accepted'), answers.accepted === 'on' || answers.accepted === 'true' ? t('summary.yes') : t('summary.no')]];
    case 'identity_document': {
      const type = answers.documentType;
      const rows: Array<[string, string]> = [[t('fields.documentType'), type ? (isDocumentType(type) ? t(`documentTypes.${type}`) : type) : notGiven]];
      // A document sent with its back shows both sides; a passport (or an older answer) one file.
      if (answers.backFileName || answers.backFileSize)
        return [
          ...rows,
          [t('summary.front'), fileText(answers.fileName, answers.fileSize, t)],
          [t('summary.back'), fileText(answers.backFileName, answers.backFileSize, t)],
        ];
      return [...rows, [t('summary.file'), fileText(answers.fileName, answers.fileSize, t)]];
    }
    case 'selfie':
      return [[t('summary.file'), fileText(answers.fileName, answers.fileSize, t)]];
    case 'unknown':
      // A step Guidepost cannot render: show what was kept, under its own names.
      return Object.entries(answers).map(([name, text]) => [name, text || notGiven]);
  }
}

/** What was sent for a finished step, read-only. Uploads show the files' names and sizes, never the files. */
export async function StepSummary({ kind, answers }: { kind: StepKind | 'unknown'; answers: Record<string, string> }) {
  const [t, locale] = await Promise.all([getTranslations('onboardingSteps'), getLocale()]);
  const rows = rowsFor(kind, answers, t, locale);
  if (rows.length === 0) return <p className="text-sm text-slate-800">{t('summary.nothingKept')}</p>;
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
