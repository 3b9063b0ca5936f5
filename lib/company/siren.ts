/**
 * True for a French SIREN: exactly 9 digits whose Luhn sum is a multiple of 10 (INSEE's check digit).
 * Expects digits only: strip the spaces people type first.
 */
export function isValidSiren(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) {
    let digit = Number(digits[8 - i]);
    // From the right, every second digit is doubled; a two-digit result counts as the sum of its digits.
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
