import { boardRow, sortBoard, type BoardRow } from '../domain/board.ts';
import { belongsOnHandover, endedPeriod, handoverListing, isOnHandover, handoverStanding, lastEndedPeriod, nextHandoverAt, referenceList, type HandoverPeriod } from '../domain/handover.ts';
import { applyReferralEvent, parseReferralEvent } from '../domain/referral-events/index.ts';
import { happenedAt } from '../domain/referral-events/recorded.ts';
import { referenceMatches } from '../domain/reference.ts';
import type { Reply } from '../domain/reply.ts';
import { withoutSynthetic } from '../domain/synthetic.ts';
import { handoverChooseText, handoverListText, handoverNothingAwaitingText, handoverReceivedText, unroutedHandoverListText } from '../domain/sms.ts';
import type { Team } from '../domain/types.ts';
import type { Dependencies, Referral } from '../ports.ts';
import { eventWrite } from './escalation-effects.ts';
import { boardInput, staffNames } from './manager-views.ts';
import { addEffects, changeReferral } from './outbox.ts';
import { overrunTimerEffects } from './overruns.ts';
import { sendOnce, type NoticeResult } from './send-once.ts';
import { smsDelivery } from './sms-redelivery.ts';
import { serviceFallbackPhone, teamOrServiceFallback } from './team-contacts.ts';
import { forEveryTeam } from './every-team.ts';

export interface HandoverOutcome {
  /** null: the referrals no team holds (no team covers their area, and there is no default team). */
  teamId: string | null;
  /** The out-of-hours period whose handover was due at this run; null when none was. */
  periodEnd: string | null;
  /** Referrals on that list (put on it by this run or an earlier one). */
  listed: number;
  /** What became of the list's text to the day service; null when there was nothing to send. */
  text: NoticeResult | null;
}

/** The key of the list of referrals no team holds, where a team's id stands in a team's list's key (team ids are lower-case). */
const UNROUTED_LIST = 'NO-TEAM';
/** A handover list's text is remembered this long, so no later run texts it again. */
const KEEP_TEXT_MS = 3 * 86_400_000;
/** A day service may take the lists of several teams: a few a day per phone. */
const LIST_LIMIT = { limit: 20, windowSeconds: 86_400 };

/**
 * The scheduled run (every 5 minutes, as the shift notices): for each team whose out-of-hours
 * period has just ended, every referral it still has open goes on the handover list (one
 * conditional write each, with the timers of its escalation), and the day service is texted the
 * list once. A run that finds the list made already adds only what is missing from it.
 *
 * Referrals no team holds (their area is no team's and there is no default team) are open too:
 * they go on a list of their own at the end of the default out-of-hours period, texted to the
 * service fallback, which was texted when each was left unrouted; they escalate to it again if
 * nobody marks them received or routes them.
 */
export async function runHandover(deps: Dependencies): Promise<HandoverOutcome[]> {
  const now = deps.clock.now();
  // One team's failure does not keep the others' lists from going, nor that of the referrals no
  // team holds; the run still fails, and the next run, 5 minutes on, lists what is missing.
  const teams = await forEveryTeam(deps, 'handover', (team) => handOver(deps, team, now)).then(
    (outcomes) => ({ outcomes }),
    (error: unknown) => ({ error }),
  );
  let noTeam: HandoverOutcome;
  try {
    noTeam = await handOver(deps, null, now);
  } catch (error) {
    deps.log.error('handover run failed for the referrals no team holds', { error: error instanceof Error ? error.name : 'unknown' });
    throw 'error' in teams ? teams.error : error;
  }
  if ('error' in teams) throw teams.error;
  return [...teams.outcomes, noTeam];
}

/** Of the referrals awaiting a team, those left with none: the rest are being routed this minute. */
const leftUnrouted = (referral: Referral) => referral.status === 'unrouted';

/** A team's handover, or (`team` null) that of the referrals no team holds, by the default hours. */
async function handOver(deps: Dependencies, team: Team | null, now: Date): Promise<HandoverOutcome> {
  const teamId = team?.id ?? null;
  const period = endedPeriod(team?.hours, now);
  if (!period) return { teamId, periodEnd: null, listed: 0, text: null };
  const listed: Referral[] = [];
  const openReferrals = (await deps.referrals.openReferrals(teamId)).filter((referral) => team || leftUnrouted(referral));
  for (const open of openReferrals) {
    if (isOnHandover(open.timeline, period)) listed.push(open);
    else if (belongsOnHandover(open, period)) {
      const result = await changeReferral(
        deps,
        open.id,
        async (referral, at) => {
          if (!belongsOnHandover(referral, period)) return null;
          const next = { ...referral, timeline: [...referral.timeline, handoverListing(period, team?.handover, at)] };
          return { ...next, outbox: addEffects(referral, overrunTimerEffects(referral, next)) };
        },
        { leavePendingEffects: true },
      );
      if (result && isOnHandover(result.referral.timeline, period)) listed.push(result.referral);
    }
  }
  if (listed.length === 0) return { teamId, periodEnd: period.end, listed: 0, text: null };
  return { teamId, periodEnd: period.end, listed: listed.length, text: await textList(deps, team, period, listed) };
}

/**
 * To the day-service contact; with none set, to the team's fallback phone (else the service's),
 * asked to pass it on. The list of referrals no team holds goes to the service fallback, asked to
 * route them.
 */
async function textList(deps: Dependencies, team: Team | null, period: HandoverPeriod, listed: readonly Referral[]): Promise<NoticeResult> {
  const dayService = team?.handover?.dayServicePhone;
  const to = dayService ?? (team ? await teamOrServiceFallback(deps, team) : await serviceFallbackPhone(deps));
  if (!to) {
    // Each listed referral still escalates at its ackBy, to whoever can be told then.
    deps.log.error('handover list not texted: no day-service contact, team fallback or service fallback is set', { teamId: team?.id ?? null });
    return 'nobody-to-tell';
  }
  const references = [...listed].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((referral) => referral.reference);
  const list = { periodEnd: period.end, references: referenceList(references), count: references.length };
  return sendOnce(deps, {
    key: `handover:${team?.id ?? UNROUTED_LIST}:${period.end}`,
    keepUntil: new Date(Date.parse(period.end) + KEEP_TEXT_MS),
    to,
    text: team ? handoverListText({ ...list, teamName: team.name, noDayService: !dayService }) : unroutedHandoverListText(list),
    limit: LIST_LIMIT,
    quotaKey: 'handover-list',
    metric: 'HandoverListsSent',
    log: { teamId: team?.id ?? null, listed: references.length },
  });
}

export interface HandoverRow extends BoardRow {
  holderName: string | null;
  /** On the list of the last handover and not yet received; received (when, by whom); or open since, for the next list. */
  handover: { state: 'awaiting'; ackBy: string | null } | { state: 'received'; at: string; byName: string } | { state: 'next' };
}

/** The day service's own phone is not a staff member's: what it marks is recorded as the day service of that team, by SMS. */
const DAY_SERVICE = 'day-service:';
const dayServiceRecorder = (teamId: string) => `${DAY_SERVICE}${teamId}`;

const receivedBy = (by: unknown, names: Readonly<Record<string, string>>) =>
  typeof by !== 'string' ? 'someone' : by.startsWith(DAY_SERVICE) ? 'the day service, by text' : (names[by] ?? by);

export interface TeamHandover {
  /** null: the referrals no team holds, on every manager's page as on every board. */
  team: Team | null;
  /** The last out-of-hours period that ended, whose list this is. */
  period: HandoverPeriod | null;
  nextAt: string | null;
  rows: HandoverRow[];
}

/**
 * What the Handover page shows for each team: its open referrals, each on the last list (awaiting
 * the day service, or received) or open since, for the next one; soonest statutory expiry first.
 * Then, if there are any, the referrals no team holds. One Query per team, as the board.
 */
export async function handoverBoard(deps: Dependencies, managed: readonly Team[]): Promise<TeamHandover[]> {
  const now = deps.clock.now();
  const [unrouted, ...lists] = await Promise.all([deps.referrals.openReferrals(null), ...managed.map((team) => deps.referrals.openReferrals(team.id))]);
  const noTeam = withoutSynthetic(unrouted ?? []).filter(leftUnrouted);
  const teams: (Team | null)[] = [...managed, ...(noTeam.length > 0 ? [null] : [])];
  const open = [...lists.map((list) => withoutSynthetic(list)), ...(noTeam.length > 0 ? [noTeam] : [])];
  const boards = open.map((referrals) => sortBoard(referrals.map((referral) => boardRow(boardInput(referral), now))));
  const names = await staffNames(deps, [
    ...boards.flat().flatMap((row) => (row.holder ? [row.holder.staffId] : [])),
    ...open.flat().flatMap((referral) => {
      const { received } = handoverStanding(referral.timeline);
      return typeof received?.by === 'string' ? [received.by] : [];
    }),
  ]);
  return teams.map((team, index) => {
    const period = lastEndedPeriod(team?.hours, now);
    const byId = new Map((open[index] ?? []).map((referral) => [referral.id, referral]));
    const rows = (boards[index] ?? []).map((row): HandoverRow => {
      const referral = byId.get(row.id);
      const { listed, received } = handoverStanding(referral?.timeline ?? []);
      const holderName = row.holder ? (names[row.holder.staffId] ?? row.holder.staffId) : null;
      const onLast = listed !== null && period !== null && listed.periodEnd === period.end;
      if (onLast && received) return { ...row, holderName, handover: { state: 'received', at: happenedAt(received), byName: receivedBy(received.by, names) } };
      if (onLast) return { ...row, holderName, handover: { state: 'awaiting', ackBy: typeof listed.ackBy === 'string' ? listed.ackBy : null } };
      return { ...row, holderName, handover: { state: 'next' } };
    });
    return { team, period, nextAt: nextHandoverAt(team?.hours, now), rows };
  });
}


/**
 * `RECEIVED 4F7K` (or `RECEIVED`, when one is awaiting, or `RECEIVED ALL`) from a team's
 * day-service phone: each named referral of its handover list is marked received
 * (`handed_over {to: day_service}`), and the day service is answered with what was.
 */
export async function recordHandoverBySms(
  deps: Dependencies,
  phone: string,
  teams: readonly Team[],
  reply: Extract<Reply, { kind: 'received' }>,
  messageId?: string,
): Promise<'answered' | 'replied' | 'dropped'> {
  const delivery = smsDelivery(deps, messageId);
  if (await delivery.wasHandled()) return 'dropped';
  const lists = await Promise.all(teams.map((team) => deps.referrals.openReferrals(team.id)));
  const awaiting = lists.flat().filter((referral) => {
    const { listed, received } = handoverStanding(referral.timeline);
    return listed !== null && received === null;
  });
  const named = reply.code ? awaiting.filter((referral) => referenceMatches(referral.reference, reply.code ?? '')) : awaiting;
  const say = async (text: string) => {
    await deps.sms.send(phone, text);
    return 'replied' as const;
  };
  if (named.length === 0) return say(handoverNothingAwaitingText(reply.code));
  if (named.length > 1 && !reply.all) return say(handoverChooseText(named.map((referral) => referral.reference)));
  const marked: string[] = [];
  for (const target of named) {
    const result = await changeReferral(deps, target.id, async (referral, now) => {
      if (handoverStanding(referral.timeline).received) return null;
      const parsed = parseReferralEvent({ type: 'handed_over', to: 'day_service' }, now);
      if (!parsed.ok) return null;
      const outcome = applyReferralEvent(referral, parsed.value, { now, by: dayServiceRecorder(referral.teamId ?? ''), via: 'sms' });
      return outcome.ok ? eventWrite(deps, referral, { ...referral, legal: outcome.legal, clocks: outcome.clocks, timeline: [...referral.timeline, ...outcome.timeline] }, [], now) : null;
    });
    if (result?.changed) marked.push(target.reference);
  }
  deps.log.info('handover marked received by SMS', { marked: marked.length, asked: named.length });
  await delivery.markHandled();
  await say(handoverReceivedText(marked.length > 0 ? referenceList(marked) : referenceList(named.map((referral) => referral.reference))));
  return 'answered';
}
