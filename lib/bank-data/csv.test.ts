import { describe, expect, it } from 'vitest';
import { transactionsCsv, type CsvOptions } from './csv';
import type { TransactionView } from './views';

const HEADERS = { date: 'Date', label: 'Label', amount: 'Amount', currency: 'Currency', status: 'Status' };
const STATUSES = { booked: 'Booked', pending: 'Pending' };
const BOM = '\uFEFF';

const options = (overrides: Partial<CsvOptions> = {}): CsvOptions => ({
  decimal: 'point',
  headers: HEADERS,
  statuses: STATUSES,
  timeZone: 'UTC',
  ...overrides,
});

let next = 0;
function transaction(overrides: Partial<TransactionView> = {}): TransactionView {
  next++;
  return {
    id: `00000000-0000-4000-8000-${String(next).padStart(12, '0')}`,
    bookedAt: new Date('2026-03-10T12:00:00Z'),
    label: 'CB CARREFOUR 09/03',
    amount: '-42.50',
    currency: 'EUR',
    status: 'booked',
    ...overrides,
  };
}

/** The CSV's lines after the BOM, without the last (empty) one the final CRLF leaves. */
function linesOf(csv: string): string[] {
  expect(csv.startsWith(BOM)).toBe(true);
  expect(csv.endsWith('\r\n')).toBe(true);
  // Every line end is a CRLF: no bare LF or CR outside quoted fields in these rows.
  return csv.slice(BOM.length, -2).split('\r\n');
}

/** The data row's fields (no quoting in them). */
const fieldsOf = (csv: string, separator: string) => linesOf(csv)[1]!.split(separator);

describe('transactionsCsv', () => {
  it('writes a UTF-8 BOM, a header row in the user’s words, CRLF line ends and one row per transaction, in order', () => {
    const csv = transactionsCsv(
      [
        transaction({ bookedAt: new Date('2026-03-01T09:30:00Z'), label: 'VIR SEPA RECU /DE SAS NOVALYS', amount: '1200.00' }),
        transaction({ bookedAt: new Date('2026-03-02T06:00:00Z'), label: 'FRAIS BANCAIRES', amount: '-24.90', status: 'pending' }),
      ],
      options({
        headers: { date: 'Date', label: 'Libellé', amount: 'Montant', currency: 'Devise', status: 'État' },
        statuses: { booked: 'Comptabilisée', pending: 'En attente' },
      }),
    );
    expect(csv).toBe(
      `${BOM}Date,Libellé,Montant,Devise,État\r\n` +
        '2026-03-01,VIR SEPA RECU /DE SAS NOVALYS,1200.00,EUR,Comptabilisée\r\n' +
        '2026-03-02,FRAIS BANCAIRES,-24.90,EUR,En attente\r\n',
    );
  });

  it('with no transactions is the header row alone', () => {
    expect(transactionsCsv([], options())).toBe(`${BOM}Date,Label,Amount,Currency,Status\r\n`);
  });

  it('with the decimal comma, separates fields by semicolons and writes amounts with a comma', () => {
    const csv = transactionsCsv([transaction({ amount: '-1234.56' }), transaction({ amount: '0.07' })], options({ decimal: 'comma' }));
    const lines = linesOf(csv);
    expect(lines[0]).toBe('Date;Label;Amount;Currency;Status');
    expect(lines[1]).toBe('2026-03-10;CB CARREFOUR 09/03;-1234,56;EUR;Booked');
    expect(lines[2]).toBe('2026-03-10;CB CARREFOUR 09/03;0,07;EUR;Booked');
  });

  it('with the decimal point, separates fields by commas and leaves amounts as stored, never grouped or rounded', () => {
    const csv = transactionsCsv([transaction({ amount: '-1234567.891' }), transaction({ amount: '12' })], options({ decimal: 'point' }));
    expect(fieldsOf(csv, ',')[2]).toBe('-1234567.891');
    expect(linesOf(csv)[2]!.split(',')[2]).toBe('12');
  });

  it('keeps a negative amount a plain number: no quote, no apostrophe', () => {
    for (const decimal of ['point', 'comma'] as const) {
      const separator = decimal === 'comma' ? ';' : ',';
      const amount = fieldsOf(transactionsCsv([transaction({ amount: '-5.00' })], options({ decimal })), separator)[2];
      expect(amount).toBe(decimal === 'comma' ? '-5,00' : '-5.00');
    }
  });

  it.each([
    ['point', 'ACME, INC', '"ACME, INC"'],
    ['point', 'ACME; INC', 'ACME; INC'],
    ['comma', 'ACME; INC', '"ACME; INC"'],
    ['comma', 'ACME, INC', 'ACME, INC'],
    ['point', 'SAY "HELLO"', '"SAY ""HELLO"""'],
    ['comma', 'LINE ONE\nLINE TWO', '"LINE ONE\nLINE TWO"'],
    ['comma', 'LINE ONE\r\nLINE TWO', '"LINE ONE\r\nLINE TWO"'],
    ['point', 'CARRIAGE\rRETURN', '"CARRIAGE\rRETURN"'],
    ['point', "SAS L'ATELIER", "SAS L'ATELIER"],
  ] as const)('with the decimal %s, writes the label %j as %j', (decimal, label, expected) => {
    const separator = decimal === 'comma' ? ';' : ',';
    const csv = transactionsCsv([transaction({ label })], options({ decimal }));
    expect(csv).toContain(`\r\n2026-03-10${separator}${expected}${separator}-42${separator === ';' ? ',' : '.'}50${separator}EUR${separator}Booked\r\n`);
  });

  it.each([
    ['=HYPERLINK("http://evil.example")', `"'=HYPERLINK(""http://evil.example"")"`],
    ['+33 6 12 34 56 78', "'+33 6 12 34 56 78"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\tTAB', "'\tTAB"],
    ['=1;2', `"'=1;2"`],
  ])('keeps a label that a spreadsheet would run (%j) as text', (label, expected) => {
    const csv = transactionsCsv([transaction({ label })], options({ decimal: 'comma' }));
    expect(linesOf(csv)[1]).toBe(`2026-03-10;${expected};-42,50;EUR;Booked`);
  });

  it('leaves a label with = + - @ inside it, not at its start, alone', () => {
    const csv = transactionsCsv([transaction({ label: 'PAY A=B +1 -2 @HOME' })], options());
    expect(fieldsOf(csv, ',')[1]).toBe('PAY A=B +1 -2 @HOME');
  });

  it('quotes header and status words that hold the separator', () => {
    const csv = transactionsCsv(
      [transaction({ status: 'pending' })],
      options({ decimal: 'comma', headers: { ...HEADERS, label: 'Label; bank' }, statuses: { booked: 'Booked', pending: 'Pending; not final' } }),
    );
    const lines = linesOf(csv);
    expect(lines[0]).toBe('Date;"Label; bank";Amount;Currency;Status');
    expect(lines[1]).toBe('2026-03-10;CB CARREFOUR 09/03;-42,50;EUR;"Pending; not final"');
  });

  it('dates each transaction by its booking day in the user’s zone', () => {
    // 22:30 UTC on 29 March 2026 is already the 30th in Paris (summer time since 01:00 UTC), still the 29th in New York.
    const late = [transaction({ bookedAt: new Date('2026-03-29T22:30:00Z') })];
    const day = (timeZone: string | null) => fieldsOf(transactionsCsv(late, options({ timeZone })), ',')[0];
    expect(day('Europe/Paris')).toBe('2026-03-30');
    expect(day('America/New_York')).toBe('2026-03-29');
    expect(day('UTC')).toBe('2026-03-29');
    expect(day('Asia/Tokyo')).toBe('2026-03-30');
    // No zone known, or one this runtime does not know: Paris, where Guidepost's users are.
    expect(day(null)).toBe('2026-03-30');
    expect(day('Not/AZone')).toBe('2026-03-30');
    // Just before midnight in Paris in winter (UTC+1).
    const winter = [transaction({ bookedAt: new Date('2026-01-15T22:59:59Z') })];
    expect(fieldsOf(transactionsCsv(winter, options({ timeZone: 'Europe/Paris' })), ',')[0]).toBe('2026-01-15');
  });
});
