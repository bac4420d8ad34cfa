/**
 * The time fields of an event body: ISO instants with an offset, none in the future beyond the
 * clock skew the intake schema allows (shared/domain/referral-schema.ts). The schemas are built
 * once; `parseReferralEvent` sets the time for the length of one (synchronous) parse.
 */
import { CLOCK_SKEW_MS } from '../referral-schema.ts';
import { isoInstant, optionalField } from '../validation.ts';

let parsingAt: Date | undefined;

export function withParseTime<T>(now: Date, parse: () => T): T {
  parsingAt = now;
  try {
    return parse();
  } finally {
    parsingAt = undefined;
  }
}

const latest = () => {
  if (!parsingAt) throw new Error('event times are checked only inside parseReferralEvent');
  return new Date(parsingAt.getTime() + CLOCK_SKEW_MS);
};

/** When the event happened: required in the schema, filled in with now when the body leaves it out. */
export const eventAt = () => isoInstant({ notAfter: latest });
export const optionalInstant = () => optionalField(isoInstant({ notAfter: latest }));
