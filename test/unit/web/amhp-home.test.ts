import { describe, expect, it } from 'vitest';
import type { HeldReferral } from '../../../shared/app/amhp-home.ts';
import { nextSteps } from '../../../shared/domain/next-steps.ts';
import { delaysOf, stageOf } from '../../../shared/domain/stage.ts';
import type { Referral } from '../../../shared/ports.ts';
import { amhpHomePage } from '../../../functions/web/amhp-home.ts';
import { REFERRAL_ID, REFERRER_PHONE, acceptedReferral } from '../../support/dataset.ts';
import { NOW } from '../../support/dependencies.ts';

/** The AMHP's home (`GET /amhp`) as drawn for one held referral. */

function held(referral: Referral): HeldReferral {
  return {
    referral,
    stage: stageOf(referral.timeline),
    delays: delaysOf(referral.timeline),
    callbackPhone: REFERRER_PHONE,
    place: { kind: 'home', description: null, postcode: 'LS1 4AP' },
    nextSteps: nextSteps(referral, NOW),
  };
}

const page = (referral: Referral) => String(amhpHomePage([held(referral)], NOW));
const legalLine = (html: string) => new RegExp(`id="${REFERRAL_ID}-legal">(.*?)</p>`).exec(html)?.[1];

describe("the AMHP's home", () => {
  it('marks a person under 18 with U18 beside the legal status, as the board does, and nothing else about their age', () => {
    const child = page({ ...acceptedReferral(), subjectUnder18: true });
    expect(legalLine(child)).toBe('s136 <strong class="govuk-tag govuk-tag--purple">U18</strong>, LS1');
    expect(child).not.toMatch(/aged|1987|date of birth/i);
    expect(legalLine(page(acceptedReferral()))).toBe('s136, LS1');
    expect(legalLine(page({ ...acceptedReferral(), subjectUnder18: false }))).toBe('s136, LS1');
  });
});
