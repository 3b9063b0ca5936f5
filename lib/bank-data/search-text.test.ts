import { describe, expect, it } from 'vitest';
import { containsPattern, searchText } from './search-text';

describe('searchText', () => {
  it('lower-cases and removes accents, whichever Unicode form they come in', () => {
    expect(searchText('PRÉLÈVEMENT SEPA')).toBe('prelevement sepa');
    // The same word decomposed (e + combining accents), as some systems send it.
    expect(searchText('PRE\u0301LE\u0300VEMENT')).toBe('prelevement');
    expect(searchText('Intérêts Créditeurs')).toBe('interets crediteurs');
    expect(searchText('Ça coûte, Noël, naïve, Ångström, Señor')).toBe('ca coute, noel, naive, angstrom, senor');
  });

  it('gives the same text for what a user types and what the bank printed', () => {
    expect(searchText('prélèvement')).toBe(searchText('PRELEVEMENT'));
    expect(searchText('Intérêts')).toBe(searchText('INTERETS'));
  });

  it('collapses runs of white space and trims the ends', () => {
    expect(searchText('  VIR   SEPA\tRECU\n/DE  ')).toBe('vir sepa recu /de');
    expect(searchText('   ')).toBe('');
  });

  it('keeps what is not an accent: digits, punctuation, the degree sign, quotes', () => {
    expect(searchText("REMISE CHEQUE N°1234567 D'INTERVENTION 100%_OK")).toBe("remise cheque n°1234567 d'intervention 100%_ok");
  });
});

describe('containsPattern', () => {
  it('finds the text anywhere, compared as searchText compares it', () => {
    expect(containsPattern('Prélèvement  EDF')).toBe('%prelevement edf%');
    expect(containsPattern('  loyer ')).toBe('%loyer%');
  });

  it('takes LIKE’s wildcards and its escape character literally', () => {
    expect(containsPattern('100%')).toBe('%100\\%%');
    expect(containsPattern('a_b')).toBe('%a\\_b%');
    expect(containsPattern('back\\slash')).toBe('%back\\\\slash%');
    expect(containsPattern('%_\\')).toBe('%\\%\\_\\\\%');
  });

  it('matches what it should and only that, read as LIKE reads it', () => {
    // LIKE with '\' as its escape character, as PostgreSQL's default: a small model to check the patterns against.
    const like = (value: string, pattern: string) => {
      let regex = '';
      for (let index = 0; index < pattern.length; index++) {
        const char = pattern[index]!;
        if (char === '\\') regex += (pattern[++index] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        else if (char === '%') regex += '[\\s\\S]*';
        else if (char === '_') regex += '[\\s\\S]';
        else regex += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      return new RegExp(`^${regex}$`).test(value);
    };
    const stored = (label: string) => searchText(label);
    expect(like(stored('PRÉLÈVEMENT SEPA EDF'), containsPattern('prelevement sepa edf'))).toBe(true);
    expect(like(stored('PRLV SEPA EDF'), containsPattern('sepa_edf'))).toBe(false);
    expect(like(stored('PRLV SEPA EDF'), containsPattern('sepa%edf'))).toBe(false);
    expect(like(stored('REMISE 100% OK'), containsPattern('100%'))).toBe(true);
    expect(like(stored('REMISE 100 OK'), containsPattern('100%'))).toBe(false);
    expect(like(stored('REF A_B'), containsPattern('a_b'))).toBe(true);
    expect(like(stored('REF AXB'), containsPattern('a_b'))).toBe(false);
  });
});
