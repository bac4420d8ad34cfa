import { describe, it, expect } from 'vitest';
import * as z from 'zod';
import { isoInstant, optionalField, trimmedText, validateWith } from '../../../shared/domain/validation.ts';

describe('validateWith', () => {
  const schema = z.strictObject({
    name: trimmedText(5),
    tags: z.array(z.string()).min(1),
    size: z.number().max(3),
    when: isoInstant({ notAfter: new Date('2025-11-26T02:00:00Z') }),
    note: optionalField(trimmedText(10)),
  });

  it('returns the parsed value when the input is valid', () => {
    const result = validateWith(schema, { name: ' Ann ', tags: ['x'], size: 1, when: '2025-11-26T01:00+00:00', note: '' });
    expect(result).toEqual({ ok: true, value: { name: 'Ann', tags: ['x'], size: 1, when: '2025-11-26T01:00:00.000Z' } });
  });

  it('explains each problem in plain English at a dot path', () => {
    const result = validateWith(schema, { name: 'Annabel', tags: [], size: 4, when: '2025-11-26T03:00:00Z', nmae: 'x' });
    expect(result).toEqual({
      ok: false,
      issues: [
        { path: 'name', message: 'must be at most 5 characters' },
        { path: 'tags', message: 'must have at least 1 item' },
        { path: 'size', message: 'must be at most 3' },
        { path: 'when', message: 'must not be in the future' },
        { path: 'nmae', message: 'is not a recognised field' },
      ],
    });
  });

  it('says "is required" for a missing field and names the type for a wrong one', () => {
    const result = validateWith(schema, { tags: 'x', size: '1', when: 5 });
    expect(result.ok === false && result.issues).toEqual([
      { path: 'name', message: 'is required' },
      { path: 'tags', message: 'must be an array' },
      { path: 'size', message: 'must be a number' },
      { path: 'when', message: 'must be a string' },
    ]);
  });
});

describe('optionalField', () => {
  it.each([undefined, null, '', '   '])('treats %j as not given', (note) => {
    expect(optionalField(trimmedText(10)).parse(note)).toBeUndefined();
  });
});

describe('isoInstant', () => {
  it.each(['2025-11-26T01:00:00Z', '2025-11-26T01:00Z', '2025-11-26T01:00:00.5+01:00', ' 2025-11-26T01:00:00-05:00 '])('accepts %j', (value) => {
    expect(isoInstant().safeParse(value).success).toBe(true);
  });

  it.each(['2025-11-26T01:00:00', '2025-11-26', '2025-02-30T01:00:00Z', '26/11/2025 01:00', '2025-11-26T01:00:00+0100'])('refuses %j', (value) => {
    expect(isoInstant().safeParse(value).success).toBe(false);
  });
});
