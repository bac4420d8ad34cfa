import { statusUrl } from '../../shared/app/referral-view.ts';
import type { Referral } from '../../shared/ports.ts';
import { json, type HttpResult } from './http.ts';

/** Contract v1's answer to a submitted referral, from whichever channel it came. */
export const referralAccepted = (referral: Referral, headers: Record<string, string> = {}): HttpResult =>
  json(
    202,
    { id: referral.id, reference: referral.reference, status: referral.status, statusUrl: statusUrl(referral) },
    { location: statusUrl(referral), ...headers },
  );
