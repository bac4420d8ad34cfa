/** NHS numbers: 10 digits whose last digit is a modulus 11 check over the first nine. */

export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  // A remainder giving 10 is never issued as an NHS number.
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/** Accepts `943 476 5919`, `9434765919` or `943-476-5919`; returns the 10 digits, or null. */
export function normaliseNhsNumber(input: string): string | null {
  const digits = input.trim().replace(/[\s-]/g, '');
  return isValidNhsNumber(digits) ? digits : null;
}

/** `9434765919` → `943 476 5919`, the 3-3-4 grouping people read out. */
export function formatNhsNumber(digits: string): string {
  if (!/^\d{10}$/.test(digits)) throw new RangeError('formatNhsNumber expects 10 digits');
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}
