import { describe, expect, it } from 'vitest';
import { parseReferralEvent } from '../../../shared/domain/referral-events/index.ts';
import { parseReply, stageKeywords, type Reply } from '../../../shared/domain/reply.ts';
import { chooseStageReferenceText, noAcceptedReferralText, stageHelpText, stageRecordedText, stageRefusedText } from '../../../shared/domain/sms.ts';
import { smsSegments } from '../../support/sms-segments.ts';

/** The stages an AMHP texts after accepting (`ATTENDING 4F7K 30`), as the event each stands for. */

const stage = (keyword: string, event: Record<string, unknown>, code?: string): Reply => ({ kind: 'stage', keyword, event: event as { type: string }, ...(code ? { code } : {}) });

const table: [string, Reply][] = [
  ['CALLED', stage('CALLED', { type: 'referrer_contacted' })],
  ['ATTENDING', stage('ATTENDING', { type: 'attending' })],
  ['attending 4f7k', stage('ATTENDING', { type: 'attending' }, '4F7K')],
  ['ATTENDING 4F7K 30', stage('ATTENDING', { type: 'attending', etaMinutes: 30 }, '4F7K')],
  ['ATTENDING 30 4F7K', stage('ATTENDING', { type: 'attending', etaMinutes: 30 }, '4F7K')],
  ['Attending 45', stage('ATTENDING', { type: 'attending', etaMinutes: 45 })],
  ['ARRIVED 4F7K', stage('ARRIVED', { type: 'assessment_started' }, '4F7K')],
  ['ARRIVED 4F7K.', stage('ARRIVED', { type: 'assessment_started' }, '4F7K')],
  ['STARTED', stage('STARTED', { type: 'assessment_started' })],
  ['ARRIVED IFXK', stage('ARRIVED', { type: 'assessment_started' }, 'IFXK')], // I for 1, as in ACCEPT IFXK
  ['ARRIVED 4F7K-2Q9M', stage('ARRIVED', { type: 'assessment_started' }, '4F7K-2Q9M')],
  ['DOCTOR S12', stage('DOCTOR', { type: 'doctor_requested', role: 's12' })],
  ['doctor 4F7K second', stage('DOCTOR', { type: 'doctor_requested', role: 'second' }, '4F7K')],
  ['DOCTORHERE RC', stage('DOCTORHERE', { type: 'doctor_arrived', role: 'responsible_clinician' })],
  ['DECISION S2', stage('DECISION', { type: 'decision', outcome: 'application_s2' })],
  ['DECISION 4F7K NFA', stage('DECISION', { type: 'decision', outcome: 'no_further_action' }, '4F7K')],
  ['BED', stage('BED', { type: 'bed_requested' })],
  ['BEDFOUND 4F7K', stage('BEDFOUND', { type: 'bed_identified' }, '4F7K')],
  ['CONVEY AMBULANCE', stage('CONVEY', { type: 'conveyance_requested', by: 'ambulance' })],
  ['CONVEYED', stage('CONVEYED', { type: 'conveyed' })],
  ['ADMITTED 4F7K', stage('ADMITTED', { type: 'admitted' }, '4F7K')],
  // Anything else is not a stage: the help reply lists them.
  ['ATTENDING shortly', { kind: 'unknown' }],
  ['ATTENDING 4F7K 30 40', { kind: 'unknown' }],
  ['DECISION sectioned', { kind: 'unknown' }],
  ['DECISION', { kind: 'unknown' }],
  ['DOCTOR', { kind: 'unknown' }],
  ['CONVEY taxi', { kind: 'unknown' }],
  ['BED 4F7K now', { kind: 'unknown' }],
  ['ARRIVED 4F7K 9QX2', { kind: 'unknown' }],
];

describe('stage commands by SMS', () => {
  it.each(table)('reads %j', (body, expected) => {
    expect(parseReply(body)).toEqual(expected);
  });

  it('stands each for a body the events endpoint accepts', () => {
    for (const [body] of table) {
      const reply = parseReply(body);
      if (reply.kind !== 'stage') continue;
      const event = reply.event.type === 'admitted' ? { ...reply.event, section: 's2' } : reply.event;
      expect(parseReferralEvent(event, new Date())).toMatchObject({ ok: true });
    }
  });

  it('documents every keyword in the help text, in at most two segments', () => {
    for (const keyword of stageKeywords.filter((k) => k !== 'STARTED')) expect(stageHelpText()).toContain(keyword);
    expect(smsSegments(stageHelpText())).toBeLessThanOrEqual(2);
  });

  it.each([
    ['recorded', stageRecordedText('EDT-4F7K-2Q9M', 'AMHP on the way (about 30 min)')],
    ['refused', stageRefusedText('EDT-4F7K-2Q9M', 'the assessment has not started: record the start of the assessment before its decision')],
    ['no referral held', noAcceptedReferralText('4F7K')],
    ['choose a referral', chooseStageReferenceText('ARRIVED', ['EDT-4F7K-2Q9M', 'EDT-9QX2-ABCD'])],
  ])('keeps the %s text to at most two segments', (_name, text) => {
    expect(smsSegments(text)).toBeLessThanOrEqual(2);
  });
});
