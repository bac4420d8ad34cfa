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

describe("the AMHP's home: relatives", () => {
  const consulted = (role: string, action: string) => ({ at: '2026-11-25T01:58:00.000Z', type: 'relative_consulted' as const, eventAt: '2026-11-25T01:57:00.000Z', by: 'sub-asha', role, action });

  it('offers a form for the nearest relative, posting the role with the chosen action through the events endpoint', () => {
    const html = page(acceptedReferral());
    const form = new RegExp(`<form method="post" action="/amhp/referrals/${REFERRAL_ID}/events" class="dutyline-step"><input type="hidden" name="type" value="relative_consulted"><input type="hidden" name="role" value="nearest_relative">(.*?)</form>`).exec(html)?.[1];
    expect(form).toContain(`<label class="govuk-label" for="${REFERRAL_ID}-relative">What happened with the nearest relative</label>`);
    expect([...(form ?? '').matchAll(/<option value="(\w+)">([^<]+)</g)].map((m) => [m[1], m[2]])).toEqual([
      ['informed', 'Informed'],
      ['consulted', 'Consulted'],
      ['objected', 'Objected'],
      ['not_practicable', 'Not practicable to consult'],
    ]);
    expect(form).toContain('Record nearest relative<span class="govuk-visually-hidden"> (EDT-4F7K-2Q9M)</span>');
    expect(html).toContain('Nothing recorded yet.');
  });

  it('names the nominated person instead from the date the service set', () => {
    const html = String(amhpHomePage([held(acceptedReferral())], NOW, [], 'nominated_person'));
    expect(html).toContain('<input type="hidden" name="role" value="nominated_person">');
    expect(html).toContain('What happened with the nominated person');
    expect(html).not.toMatch(/nearest relative/i);
  });

  it('lists what was recorded, role and action and when, nothing about who the relative is', () => {
    const referral = acceptedReferral();
    const html = page({ ...referral, timeline: [...referral.timeline, consulted('nearest_relative', 'objected')] });
    expect(new RegExp(`id="${REFERRAL_ID}-relative-recorded"><li>Nearest relative objected at <time datetime="2026-11-25T01:57:00.000Z"[^>]*>01:57</time></li></ul>`).test(html)).toBe(true);
    expect(html).not.toContain('Nothing recorded yet.');
  });
});
