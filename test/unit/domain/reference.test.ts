import { describe, it, expect } from 'vitest';
import { newReference, referenceAlphabet, referenceMatches, shortReference } from '../../../shared/domain/reference.ts';

/** A byte source that hands out the given bytes in order, then zeros. */
function bytes(...values: number[]) {
  const queue = [...values];
  return (n: number) => Uint8Array.from({ length: n }, () => queue.shift() ?? 0);
}

describe('newReference', () => {
  it('builds EDT-XXXX-XXXX from the low five bits of each byte', () => {
    // 4 → '4', 15 → 'F', 7 → '7', 19 → 'K'; adding 32 × k leaves the symbol unchanged.
    expect(newReference(bytes(4, 15 + 32, 7 + 64, 19 + 224, 2, 23, 9, 20))).toBe('EDT-4F7K-2Q9M');
  });

  it('uses an alphabet without I, L, O or U', () => {
    expect(referenceAlphabet).toHaveLength(32);
    expect(referenceAlphabet).not.toMatch(/[ILOU]/);
  });

  it('maps every byte value onto the alphabet evenly, so there is no bias', () => {
    const counts = new Map<string, number>();
    for (let b = 0; b < 256; b++) {
      const symbol = newReference(bytes(0, 0, 0, b, 0, 0, 0, 0)).charAt(7);
      counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
    expect(new Set(counts.values())).toEqual(new Set([8]));
  });

  it('redraws a first group with no digit, so a short code is never an English word', () => {
    // 'AWAY' (10, 29, 10, 30) is drawn first and thrown away.
    expect(newReference(bytes(10, 29, 10, 30, 1, 2, 3, 4, 5, 6, 7, 8))).toBe('EDT-1234-5678');
  });

  it('gives up on a byte source that never yields a usable group, without looping forever', () => {
    expect(() => newReference((n) => new Uint8Array(n).fill(10))).toThrow('randomBytes is not returning random bytes');
  });

  it('produces references in the EDT-XXXX-XXXX form that shortReference reads', () => {
    for (let i = 0; i < 50; i++) {
      const ref = newReference((n) => Uint8Array.from({ length: n }, () => Math.floor(Math.random() * 256)));
      expect(ref).toMatch(/^EDT-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      expect(shortReference(ref)).toBe(ref.slice(4, 8));
    }
  });
});

describe('shortReference', () => {
  it('is the first group, used in replies like ACCEPT 4F7K', () => {
    expect(shortReference('EDT-4F7K-2Q9M')).toBe('4F7K');
  });

  it('refuses something that is not a reference', () => {
    expect(() => shortReference('4F7K')).toThrow('not a dutyline reference');
  });
});

describe('referenceMatches', () => {
  it.each(['4F7K', '4f7k', '4F7K-2Q9M', '4F7K2Q9M', 'EDT-4F7K-2Q9M', 'edt-4f7k-2q9m', ' 4F7K ', '4F7K 2Q9M', 'EDT-4F7K'])('matches %j', (code) => {
    expect(referenceMatches('EDT-4F7K-2Q9M', code)).toBe(true);
  });

  it('reads the look-alikes I, L and O as 1, 1 and 0', () => {
    expect(referenceMatches('EDT-10K1-2Q9M', 'IOKL')).toBe(true);
  });

  it.each(['2Q9M', '4F7', '4F7K-2Q9', '4F7K-2Q9N', '', 'XXXX'])('does not match %j', (code) => {
    expect(referenceMatches('EDT-4F7K-2Q9M', code)).toBe(false);
  });
});
