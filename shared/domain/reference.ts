/**
 * Human references such as `EDT-4F7K-2Q9M`, read out on the phone and typed into SMS replies.
 * Crockford's base32 alphabet leaves out I, L, O and U, so nothing can be misread as 1, 0 or V.
 */

export const referenceAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SYMBOL = `[${referenceAlphabet}]`;
const REFERENCE = new RegExp(`^EDT-(${SYMBOL}{4})-(${SYMBOL}{4})$`);

/**
 * `randomBytes` is injected so the core stays pure. 32 symbols divide 256 evenly, so the low five
 * bits of each byte pick a symbol with no bias. The first group, the short code used in replies
 * (`ACCEPT 4F7K`), always holds a digit: then a decline reason such as `2 AWAY` is never taken
 * for a code.
 */
export function newReference(randomBytes: (n: number) => Uint8Array): string {
  const group = () => Array.from(randomBytes(4).subarray(0, 4), (byte) => referenceAlphabet.charAt(byte & 31)).join('');
  for (let attempt = 0; attempt < 100; attempt++) {
    const first = group();
    // Redrawing whole groups keeps every group with a digit equally likely.
    if (first.length === 4 && /\d/.test(first)) return `EDT-${first}-${group()}`;
  }
  throw new Error('randomBytes is not returning random bytes');
}

/** `EDT-4F7K-2Q9M` → `4F7K`, the code an AMHP adds to a reply when several pages are open. */
export function shortReference(reference: string): string {
  const match = REFERENCE.exec(reference);
  if (!match?.[1]) throw new RangeError('not a dutyline reference');
  return match[1];
}

/** Upper case, no separators, and the look-alikes people type decoded as Crockford says: I, L → 1, O → 0. */
function canonical(s: string): string {
  return s
    .trim()
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/^EDT/, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
}

/** Whether `code` names `reference`: `4F7K`, `4f7k`, `4F7K-2Q9M`, `4F7K2Q9M` or `EDT-4F7K-2Q9M`. */
export function referenceMatches(reference: string, code: string): boolean {
  const full = canonical(reference);
  const given = canonical(code);
  return given.length === 4 ? full.startsWith(given) : given.length === 8 && given === full;
}
