import { describe, it, expect } from 'vitest';
import { formatUkPhone, normaliseUkMobile, normaliseUkPhone } from '../../../shared/domain/phone.ts';

describe('normaliseUkMobile', () => {
  it.each([
    '07700 900123',
    '07700900123',
    '+44 7700 900123',
    '+447700900123',
    '447700900123',
    '0044 7700900123',
    '+44 (0)7700 900123',
    '(07700) 900-123',
    '07700-900-123',
    ' 07700 900 123 ',
  ])('normalises %j to +447700900123', (input) => {
    expect(normaliseUkMobile(input)).toBe('+447700900123');
  });

  it.each([
    ['a Leeds landline', '0113 496 0000'],
    ['a London landline', '020 7946 0000'],
    ['a French mobile', '+33 6 12 34 56 78'],
    ['a US number', '+1 202 555 0123'],
    ['too few digits', '07700 90012'],
    ['too many digits', '07700 9001234'],
    ['a personal number (070)', '07012 345678'],
    ['a pager (076)', '07612 345678'],
    ['letters', '07700 9OO123'],
    ['nothing', ''],
  ])('returns null for %s', (_what, input) => {
    expect(normaliseUkMobile(input)).toBeNull();
  });

  it('keeps the 12 digits after +44… that E.164 gives a UK mobile', () => {
    expect(normaliseUkMobile('07911 123456')).toMatch(/^\+447\d{9}$/);
  });
});

describe('normaliseUkPhone', () => {
  it.each([
    ['01132 345678', '+441132345678'],
    ['0113 496 0000', '+441134960000'],
    ['020 7946 0000', '+442079460000'],
    ['+44 20 7946 0000', '+442079460000'],
    ['0300 123 4567', '+443001234567'],
    ['0800 123 4567', '+448001234567'],
    ['07700 900123', '+447700900123'],
  ])('normalises %j to %j', (input, expected) => {
    expect(normaliseUkPhone(input)).toBe(expected);
  });

  it.each(['+33 1 23 45 67 89', '0113 496', '09012 345678', '00113 496 0000', 'call me'])('returns null for %j', (input) => {
    expect(normaliseUkPhone(input)).toBeNull();
  });
});

describe('formatUkPhone', () => {
  it.each([
    ['+447700900123', '07700 900123'],
    ['+442079460000', '020 7946 0000'],
    ['+441134960000', '0113 496 0000'],
    ['+441614960000', '0161 496 0000'],
    ['+441632960000', '01632 960000'],
    ['+443001234567', '0300 123 4567'],
  ])('writes %s as %s', (e164, display) => {
    expect(formatUkPhone(e164)).toBe(display);
  });

  it('leaves a non-UK number as it is', () => {
    expect(formatUkPhone('+33612345678')).toBe('+33612345678');
  });
});
