import { dayOf } from '@/lib/i18n/format';
import type { TransactionView } from './views';

// An account's transactions as CSV for a spreadsheet or an accountant's software: UTF-8 with a byte-order mark (Excel
// reads UTF-8 only with it), CRLF line ends and RFC 4180 quoting. With the decimal comma, fields are separated by
// semicolons, as French spreadsheets expect; with the decimal point, by commas. Amounts are the stored decimal strings,
// signed, never through a float and never grouped.

export type DecimalSeparator = 'comma' | 'point';

export interface CsvOptions {
  decimal: DecimalSeparator;
  /** The header row, in the user's language. */
  headers: { date: string; label: string; amount: string; currency: string; status: string };
  /** The status column's words, in the user's language. */
  statuses: { booked: string; pending: string };
  /** The user's zone: the date column is the booking day there. */
  timeZone: string | null;
}

// A spreadsheet runs a cell that starts with one of these as a formula: a label from the bank must stay text (OWASP,
// "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: string, separator: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return safe.includes(separator) || /["\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function transactionsCsv(transactions: TransactionView[], options: CsvOptions): string {
  const separator = options.decimal === 'comma' ? ';' : ',';
  const { headers, statuses } = options;
  const lines = [[headers.date, headers.label, headers.amount, headers.currency, headers.status].map((value) => cell(value, separator)).join(separator)];
  for (const transaction of transactions) {
    const amount = options.decimal === 'comma' ? transaction.amount.replace('.', ',') : transaction.amount;
    lines.push(
      [
        dayOf(transaction.bookedAt, options.timeZone),
        cell(transaction.label, separator),
        // Amounts are ours (a signed decimal), never a formula: only quoted when the separator is in them.
        amount.includes(separator) ? `"${amount}"` : amount,
        transaction.currency,
        cell(statuses[transaction.status], separator),
      ].join(separator),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
