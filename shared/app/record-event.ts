import { applyReferralEvent, mayRecord, parseReferralEvent, type EventRecorder, type EventResult, type ParsedEvent } from '../domain/referral-events/index.ts';
import { policeStationRefusal, relativeRoleRefusal, type RelativeRole } from '../domain/mha-2025.ts';
import { isUnder18, londonDate } from '../domain/referral-schema.ts';
import { personalDetails } from '../domain/retention.ts';
import type { ValidationIssue } from '../domain/types.ts';
import type { Dependencies, Referral } from '../ports.ts';
import { hasRole, isTeamStaff, managesTeamless, type Caller } from './caller.ts';
import { clockTimerEffects } from './clock-warnings.ts';
import { eventWrite } from './escalation-effects.ts';
import { changeReferral } from './outbox.ts';
import { plansOverrun } from '../domain/overruns.ts';
import { overrunSettingsOf, overrunTimerEffects, withOverrunDeadlines } from './overruns.ts';

export type EventOutcome =
  | { kind: 'recorded'; referral: Referral; asReferrer: boolean }
  | { kind: 'invalid'; issues: ValidationIssue[] }
  | { kind: 'refused'; error: string; message: string }
  | { kind: 'not-found' }
  | { kind: 'forbidden' };

/**
 * Who the caller is to this referral, for the event rules: the AMHP who accepted it, a manager of
 * its team, or the referrer who made it. A referral no team holds is on every manager's board
 * (and handover page), so any manager records for it, as any may close it. Anyone else (an AMHP
 * only paged for it, another team, an administrator) records nothing.
 */
async function recorderOf(deps: Dependencies, caller: Caller, referral: Referral): Promise<EventRecorder | null> {
  if (referral.status === 'unrouted' && managesTeamless(caller, referral)) return 'manager';
  if (await isTeamStaff(deps, caller, referral.teamId)) {
    if (hasRole(caller, 'manager')) return 'manager';
    if (referral.assignedTo && referral.assignedTo === caller.staffId) return 'accepting_amhp';
  }
  return referral.createdBy === caller.userId ? 'referrer' : null;
}

/**
 * Under 18, from the intake fact; for a referral stored before that fact, from the date of birth in
 * its details (read only then, and only for a police station, where s136A needs it).
 */
async function withAge(deps: Dependencies, referral: Referral, parsed: ParsedEvent, now: Date) {
  if (referral.subjectUnder18 !== undefined || parsed.event.placeKind !== 'police_station') return referral;
  const stored = await deps.referrals.getDetails(referral.id);
  const details = stored ? personalDetails(referral.detailsExpireAt, stored, now) : null;
  const born = details?.status === 'held' && details.details.channel === 'web' ? details.details.subject.dateOfBirth : undefined;
  return born ? { ...referral, subjectUnder18: isUnder18(born, londonDate(now)) } : referral;
}

const refusal = (result: Exclude<EventResult, { ok: true }>): EventOutcome =>
  result.status === 400 ? { kind: 'invalid', issues: result.issues } : { kind: 'refused', error: result.error, message: result.message };

/**
 * Records an event on a referral (SPEC "Contract v1.1"): checks the body, who may record it and
 * whether the referral's state allows it, all before anything is written (a refusal changes
 * nothing); then stores the new legal facts, clocks and timeline in one conditional write, with
 * the warning timers of any clock the event started or moved. Warnings planned for a clock it
 * ended find the clock ended and do nothing (shared/app/clock-warnings.ts).
 */
export async function recordReferralEvent(deps: Dependencies, caller: Caller, input: { referralId: string; body: unknown; via?: 'sms' }): Promise<EventOutcome> {
  const parsed = parseReferralEvent(input.body, deps.clock.now());
  if (!parsed.ok) return { kind: 'invalid', issues: parsed.issues };
  const current = await deps.referrals.get(input.referralId);
  if (!current) return { kind: 'not-found' };
  const recorder = await recorderOf(deps, caller, current);
  if (!mayRecord(parsed.value, recorder)) return { kind: 'forbidden' };
  // From the date the service sets, a police station is no place of safety for anyone (MHA 2025).
  if (parsed.value.event.placeKind === 'police_station') {
    const ended = policeStationRefusal((await deps.directory.getServiceSettings()).settings, deps.clock.now());
    if (ended) return { kind: 'invalid', issues: [{ path: 'placeKind', message: ended }] };
  }
  // The nearest relative, or from the date the service sets the nominated person: whichever the Acts give the person when it happened.
  const { event } = parsed.value;
  if (event.type === 'relative_consulted') {
    const wrong = relativeRoleRefusal(event.role as RelativeRole, (await deps.directory.getServiceSettings()).settings, new Date(event.at));
    if (wrong) return { kind: 'invalid', issues: [{ path: 'role', message: wrong }] };
  }
  const context = (now: Date) => ({ now, by: caller.userId, ...(input.via ? { via: input.via } : {}) });
  const first = applyReferralEvent(await withAge(deps, current, parsed.value, deps.clock.now()), parsed.value, context(deps.clock.now()));
  if (!first.ok) return refusal(first);

  // The team's overrun times are written on the entry that plans one (a decision, a conveyance request).
  const overrunSettings = overrunSettingsOf(current.teamId && plansOverrun(parsed.value.event.type) ? await deps.directory.getTeam(current.teamId) : null);
  let late: EventOutcome | null = null;
  const result = await changeReferral(
    deps,
    input.referralId,
    async (referral, now) => {
      // Written meanwhile (another event, a close): the rules are asked again of what is stored now.
      const outcome = applyReferralEvent(await withAge(deps, referral, parsed.value, now), parsed.value, context(now));
      late = outcome.ok ? null : refusal(outcome);
      if (!outcome.ok) return null;
      const next = { ...referral, legal: outcome.legal, clocks: outcome.clocks, timeline: [...referral.timeline, ...withOverrunDeadlines(outcome.timeline, overrunSettings)] };
      return eventWrite(deps, referral, next, [...clockTimerEffects(outcome.armed, now), ...overrunTimerEffects(referral, next)], now);
    },
    { leavePendingEffects: true },
  );
  if (!result) return { kind: 'not-found' };
  if (late) return late;
  return { kind: 'recorded', referral: result.referral, asReferrer: recorder === 'referrer' };
}
