/**
 * Turning zod's findings into dutyline's `{ path, message }` issues. Messages are plain English
 * and never repeat the submitted value, because error bodies and logs must not carry personal data.
 */
import * as z from 'zod';
import type { ValidationIssue, ValidationResult } from './types.ts';

const article = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);
const plural = (n: number | bigint, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Used where a schema gives no message of its own. */
export const englishMessages: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`;
    case 'too_small':
      if (issue.origin === 'string') return issue.minimum === 1 ? 'must not be empty' : `must be at least ${plural(issue.minimum, 'character')}`;
      if (issue.origin === 'array') return `must have at least ${plural(issue.minimum, 'item')}`;
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${plural(issue.maximum, 'character')}`;
      if (issue.origin === 'array') return `must have at most ${plural(issue.maximum, 'item')}`;
      return `must be at most ${issue.maximum}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return 'is not in the expected format';
    default:
      return 'is not valid';
  }
};

const joinPath = (path: readonly PropertyKey[]) => path.map(String).join('.');

export function issuesFrom(error: z.ZodError): ValidationIssue[] {
  return error.issues.flatMap((issue) =>
    // One issue per unknown key, at the key itself, so a typo points at the field to fix.
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: joinPath([...issue.path, key]), message: 'is not a recognised field' }))
      : [{ path: joinPath(issue.path), message: issue.message }],
  );
}

export function validateWith<S extends z.ZodType>(schema: S, body: unknown): ValidationResult<z.output<S>> {
  const parsed = schema.safeParse(body, { error: englishMessages });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: issuesFrom(parsed.error) };
}

/** Optional fields from forms arrive as `""` or `null` as often as absent; all three mean "not given". */
export function optionalField<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value), schema.optional());
}

/** Trimmed, non-empty text of at most `max` characters. */
export const trimmedText = (max: number) => z.string().trim().min(1).max(max);

const withSeconds = z.iso.datetime({ offset: true });
const withMinutes = z.iso.datetime({ offset: true, precision: -1 });

/**
 * An instant written as ISO 8601 with a UTC offset (`2025-11-25T21:40:00Z`, `…T21:40+01:00`),
 * output as UTC (`toISOString`). Without an offset a time is ambiguous across the clock change.
 */
export function isoInstant(options: { notAfter?: Date | (() => Date) } = {}) {
  return z.string().transform((value, ctx) => {
    const trimmed = value.trim();
    if (!withSeconds.safeParse(trimmed).success && !withMinutes.safeParse(trimmed).success) {
      ctx.addIssue({ code: 'custom', message: 'must be a date and time with a UTC offset, e.g. 2025-11-25T21:40:00Z' });
      return z.NEVER;
    }
    const instant = new Date(trimmed);
    const notAfter = typeof options.notAfter === 'function' ? options.notAfter() : options.notAfter;
    if (notAfter && instant.getTime() > notAfter.getTime()) {
      ctx.addIssue({ code: 'custom', message: 'must not be in the future' });
      return z.NEVER;
    }
    return instant.toISOString();
  });
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
