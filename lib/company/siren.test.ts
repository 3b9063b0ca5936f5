import { describe, expect, it } from 'vitest';
import { isValidSiren } from './siren';

describe('isValidSiren', () => {
  it.each(['529196313', '732829320', '552032534', '443061841'])('accepts %s', (siren) => {
    expect(isValidSiren(siren)).toBe(true);
  });

  it('refuses a number whose check digit is wrong', () => {
    expect(isValidSiren('123456789')).toBe(false);
    expect(isValidSiren('529196314')).toBe(false);
  });

  it.each(['52919631', '5291963130', '529 196 313', '52919631a', ''])('refuses the malformed %j', (value) => {
    expect(isValidSiren(value)).toBe(false);
  });
});
