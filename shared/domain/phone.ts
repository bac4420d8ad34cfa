/**
 * UK phone numbers, stored as E.164 (`+44…`). SMS only goes to mobiles; a referrer's callback
 * number may be a landline.
 */

const MOBILE = /^(?:7[1-57-9]\d{8}|7624\d{6})$/; // 070 personal numbers and 076 pagers cannot take SMS reliably
const ANY_UK = /^(?:[1-357-8]\d{9}|[18]\d{8})$/; // 9-digit numbers survive in a few 01 areas and 0800
const FORMATTING = /[\s().-]/g;

/** The national significant number: what follows `+44` or the leading `0`. */
function nationalNumber(input: string): string | null {
  if (input.length > 40) return null;
  const compact = input.replace(FORMATTING, '');
  // `+44 (0)7700…` is a common way to write a number; the bracketed 0 is dropped.
  const international = /^(?:\+44|0044|44(?=\d{10}$))0?([1-9]\d+)$/.exec(compact);
  const national = /^0([1-9]\d+)$/.exec(compact);
  return international?.[1] ?? national?.[1] ?? null;
}

/** `07700 900123`, `+44 7700 900123`, `0044 7700900123` → `+447700900123`; null for anything but a UK mobile. */
export function normaliseUkMobile(input: string): string | null {
  const number = nationalNumber(input);
  return number && MOBILE.test(number) ? `+44${number}` : null;
}

/** Any UK number, landline or mobile: `01132 345678` → `+441132345678`. */
export function normaliseUkPhone(input: string): string | null {
  const number = nationalNumber(input);
  return number && ANY_UK.test(number) ? `+44${number}` : null;
}

/** `+447700900123` → `07700 900123`, grouped as people in the UK write it; other input is returned as is. */
export function formatUkPhone(e164: string): string {
  if (!/^\+44\d{9,10}$/.test(e164)) return e164;
  const n = `0${e164.slice(3)}`;
  const group = (...sizes: number[]) => {
    const parts: string[] = [];
    let at = 0;
    for (const size of sizes) parts.push(n.slice(at, (at += size)));
    return [...parts, n.slice(at)].join(' ');
  };
  if (n.startsWith('02')) return group(3, 4); // 020 7946 0000
  if (/^01(?:1|\d1)/.test(n)) return group(4, 3); // 0113 496 0000, 0161 496 0000
  if (/^0[17]/.test(n)) return group(5); // 07700 900123, 01632 960000
  return group(4, 3); // 0300 123 4567, 0800 123 4567
}
