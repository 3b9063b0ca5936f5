import { DOCUMENT_TYPES, type StepKind } from '@guidepost/provider-contracts/finqware';
import { isPlainObject } from './body';

// What each step kind accepts in `data`. A problem is a message naming the field, never its value;
// the steps endpoint answers it as a bare `{ message }`.

/** ISO 3166-1 alpha-2, officially assigned codes. */
const COUNTRIES: ReadonlySet<string> = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
    'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
    'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
    'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
    'UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

/** ISO 4217 codes the card product is offered in. */
export const CURRENCIES: ReadonlySet<string> = new Set([
  'EUR',
  'USD',
  'GBP',
  'CHF',
  'RON',
  'PLN',
  'CZK',
  'HUF',
  'BGN',
  'SEK',
  'NOK',
  'DKK',
  'JPY',
  'CAD',
  'AUD',
]);

export { DOCUMENT_TYPES };

const DECIMAL = /^(0|[1-9]\d{0,14})(\.\d{1,2})?$/;
const MONTHS = /^[1-9]\d{0,2}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_TEXT = 200;
const ADULT_YEARS = 18;

type Problem = string | null;

function onlyFields(data: Record<string, unknown>, prefix: string, required: readonly string[], optional: readonly string[] = []): Problem {
  const missing = required.filter((name) => data[name] === undefined || data[name] === null);
  if (missing.length > 0) return `Missing fields: ${missing.map((name) => `${prefix}.${name}`).join(', ')}.`;
  const unknown = Object.keys(data).filter((name) => !required.includes(name) && !optional.includes(name));
  if (unknown.length > 0) return `Unknown fields: ${unknown.map((name) => `${prefix}.${name}`).join(', ')}.`;
  return null;
}

function text(value: unknown, field: string, optional = false): Problem {
  if (optional && value === undefined) return null;
  if (typeof value !== 'string' || value.trim() === '') return `${field} must be a non-empty string.`;
  if (value.length > MAX_TEXT) return `${field} must be at most ${MAX_TEXT} characters.`;
  return null;
}

function country(value: unknown, field: string): Problem {
  return typeof value === 'string' && COUNTRIES.has(value) ? null : `${field} must be an ISO 3166-1 alpha-2 country code in capitals (e.g. FR).`;
}

/** Whole years from the date of birth to `now`, or null when the text is not a real calendar date. */
function ageInYears(value: string, now: number): number | null {
  const match = DATE.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  const today = new Date(now);
  let age = today.getUTCFullYear() - year;
  const beforeBirthday = today.getUTCMonth() < month - 1 || (today.getUTCMonth() === month - 1 && today.getUTCDate() < day);
  if (beforeBirthday) age -= 1;
  return age;
}

function consent(data: Record<string, unknown>): Problem {
  return onlyFields(data, 'data', ['accepted']) ?? (data.accepted === true ? null : 'data.accepted must be true.');
}

function productForm(data: Record<string, unknown>): Problem {
  const fields = onlyFields(data, 'data', ['value', 'currency', 'period']);
  if (fields) return fields;
  const { value, currency, period } = data;
  if (typeof value !== 'string' || !DECIMAL.test(value) || Number(value) <= 0) {
    return 'data.value must be a decimal string greater than 0 with at most 2 decimals (e.g. "100000" or "2500.50").';
  }
  if (typeof currency !== 'string' || !CURRENCIES.has(currency)) return 'data.currency must be a supported ISO 4217 code (e.g. EUR).';
  if (typeof period !== 'string' || !MONTHS.test(period) || Number(period) > 120)
    return 'data.period must be a whole number of months from "1" to "120", as a string.';
  return null;
}

function personalData(data: Record<string, unknown>, now: number): Problem {
  const fields = onlyFields(data, 'data', ['first_name', 'last_name', 'date_of_birth', 'nationality', 'address']);
  if (fields) return fields;
  const names = text(data.first_name, 'data.first_name') ?? text(data.last_name, 'data.last_name');
  if (names) return names;
  const age = typeof data.date_of_birth === 'string' ? ageInYears(data.date_of_birth, now) : null;
  if (age === null || age > 130) return 'data.date_of_birth must be a real date written YYYY-MM-DD.';
  if (age < ADULT_YEARS) return `data.date_of_birth: the applicant must be at least ${ADULT_YEARS} years old.`;
  const nationality = country(data.nationality, 'data.nationality');
  if (nationality) return nationality;
  const { address } = data;
  if (!isPlainObject(address)) return 'data.address must be an object.';
  return (
    onlyFields(address, 'data.address', ['line1', 'city', 'postal_code', 'country'], ['line2']) ??
    text(address.line1, 'data.address.line1') ??
    text(address.line2, 'data.address.line2', true) ??
    text(address.city, 'data.address.city') ??
    (typeof address.postal_code === 'string' && /^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$/.test(address.postal_code)
      ? null
      : 'data.address.postal_code must be 2 to 12 letters, digits, spaces or dashes.') ??
    country(address.country, 'data.address.country')
  );
}

function identityDocument(data: Record<string, unknown>): Problem {
  const fields = onlyFields(data, 'data', ['document_type']);
  if (fields) return fields;
  return (DOCUMENT_TYPES as readonly unknown[]).includes(data.document_type) ? null : `data.document_type must be one of ${DOCUMENT_TYPES.join(', ')}.`;
}

function selfie(data: Record<string, unknown>): Problem {
  return onlyFields(data, 'data', []);
}

/** Null when `data` fits the step kind; otherwise what is wrong, naming the field. `now` judges the age. */
export function stepDataProblem(kind: StepKind, data: Record<string, unknown>, now: number): Problem {
  switch (kind) {
    case 'consent':
      return consent(data);
    case 'product_form':
      return productForm(data);
    case 'personal_data':
      return personalData(data, now);
    case 'identity_document':
      return identityDocument(data);
    case 'selfie':
      return selfie(data);
  }
}
