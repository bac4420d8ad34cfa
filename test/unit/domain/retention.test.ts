import { describe, expect, it } from 'vitest';
import { splitSubmission } from '../../../shared/domain/referral-details.ts';
import { validateReferral } from '../../../shared/domain/referral-schema.ts';
import {
  defaultRetention,
  detailsExpiryAtIntake,
  detailsExpiryOnClose,
  detailsRetention,
  personalDetails,
  retentionSetting,
} from '../../../shared/domain/retention.ts';

const received = new Date('2026-11-25T02:00:00.000Z');
const policy = { detailsDaysAfterClose: 30, detailsDaysUnclosed: 90 };

describe('the retention settings', () => {
  it('keep details 30 days after closing, and 90 days from receipt for a referral never closed, unless set', () => {
    expect(defaultRetention).toEqual(policy);
    expect(retentionSetting('detailsDaysAfterClose', undefined, 'X')).toBe(30);
    expect(retentionSetting('detailsDaysUnclosed', '', 'X')).toBe(90);
  });

  it('take whole days as a number or as text (CDK context and environment variables are text)', () => {
    expect(retentionSetting('detailsDaysAfterClose', 14, 'X')).toBe(14);
    expect(retentionSetting('detailsDaysAfterClose', ' 7 ', 'X')).toBe(7);
    expect(retentionSetting('detailsDaysAfterClose', '0', 'X')).toBe(0);
  });

  it.each([
    ['detailsDaysAfterClose', -1, 'DETAILS_RETENTION_DAYS must be a whole number of days from 0 to 3650'],
    ['detailsDaysAfterClose', '30 days', 'DETAILS_RETENTION_DAYS must be a whole number of days from 0 to 3650'],
    ['detailsDaysAfterClose', 2.5, 'DETAILS_RETENTION_DAYS must be a whole number of days from 0 to 3650'],
    ['detailsDaysAfterClose', 3651, 'DETAILS_RETENTION_DAYS must be a whole number of days from 0 to 3650'],
    ['detailsDaysUnclosed', 0, 'DETAILS_RETENTION_DAYS must be a whole number of days from 1 to 3650'],
  ] as const)('refuse %s = %j, naming the setting', (setting, value, message) => {
    expect(() => retentionSetting(setting, value, 'DETAILS_RETENTION_DAYS')).toThrow(message);
  });
});

describe('when the details go', () => {
  it('at intake: the backstop, 90 days from receipt', () => {
    expect(detailsExpiryAtIntake(received, policy)).toBe('2027-02-23T02:00:00.000Z');
  });

  it('on closing: 30 days from the close, earlier or later than the backstop', () => {
    const backstop = detailsExpiryAtIntake(received, policy);
    expect(detailsExpiryOnClose(backstop, new Date('2026-11-26T10:00:00.000Z'), policy)).toBe('2026-12-26T10:00:00.000Z');
    expect(detailsExpiryOnClose(backstop, new Date('2027-02-01T10:00:00.000Z'), policy)).toBe('2027-03-03T10:00:00.000Z');
  });

  it('on closing after the backstop has passed: they stay gone, from when they went', () => {
    const backstop = detailsExpiryAtIntake(received, policy);
    expect(detailsExpiryOnClose(backstop, new Date('2027-03-01T00:00:00.000Z'), policy)).toBe(backstop);
  });

  it('with no retention after closing: at the close', () => {
    const closedAt = new Date('2026-11-26T10:00:00.000Z');
    expect(detailsExpiryOnClose('2027-02-23T02:00:00.000Z', closedAt, { ...policy, detailsDaysAfterClose: 0 })).toBe(closedAt.toISOString());
  });
});

describe('what a reader may show', () => {
  const details = splitSubmission(
    (() => {
      const result = validateReferral({ channel: 'phone', callbackPhone: '07700 900123', currentLocation: { postcode: 'LS1 4AP' }, legal: { status: 'none' }, urgency: 'immediate' }, received);
      if (!result.ok) throw new Error('invalid sample');
      return result.value;
    })(),
  ).details;
  const expireAt = '2026-12-26T10:00:00.000Z';
  const before = new Date('2026-12-26T09:59:59.000Z');
  const after = new Date('2026-12-26T10:00:00.000Z');

  it('the details until they expire', () => {
    expect(personalDetails(expireAt, { details, expiresAt: expireAt }, before)).toEqual({ status: 'held', removeAt: expireAt, details });
    expect(detailsRetention(expireAt, before)).toEqual({ status: 'held', removeAt: expireAt });
  });

  it('that they were removed, and when, from the moment they expire, even while the item is still stored (TTL deletes late)', () => {
    expect(personalDetails(expireAt, { details, expiresAt: expireAt }, after)).toEqual({ status: 'removed', removedAt: expireAt });
    expect(detailsRetention(expireAt, after)).toEqual({ status: 'removed', removedAt: expireAt });
  });

  it('whichever expiry comes first, the referral\'s or the details item\'s (closing updates the item a moment later)', () => {
    const backstop = '2027-02-23T02:00:00.000Z';
    expect(personalDetails(expireAt, { details, expiresAt: backstop }, after)).toEqual({ status: 'removed', removedAt: expireAt });
    expect(personalDetails(backstop, { details, expiresAt: expireAt }, after)).toEqual({ status: 'removed', removedAt: expireAt });
  });

  it('that they were removed, not when, if the details are missing before any expiry', () => {
    expect(personalDetails(expireAt, null, before)).toEqual({ status: 'removed', removedAt: null });
  });
});
