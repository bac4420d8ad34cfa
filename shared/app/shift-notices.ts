import { dueShiftNotices, planningWindow, rotaChanges, type DueNotice } from '../domain/shift-notices.ts';
import { emptyPositionText, rotaCoveredText, rotaCoverText, shiftNoticeText } from '../domain/sms.ts';
import type { Shift, Staff, Team } from '../domain/types.ts';
import type { Dependencies } from '../ports.ts';
import { sendOnce, type NoticeResult } from './send-once.ts';
import { smsLimits } from './sms-policy.ts';
import { teamOrServiceFallback } from './team-contacts.ts';

export interface ShiftNoticeOutcome {
  teamId: string;
  /** How many of the notices due went which way. */
  results: Partial<Record<NoticeResult, number>>;
}

/** A sent notice is remembered this long after the duty it is about ends. */
const KEEP_AFTER_END_MS = 86_400_000;

const wantsNotices = (staff: Staff | null | undefined): staff is Staff => Boolean(staff) && staff?.shiftNotices !== false;

async function staffById(deps: Dependencies, ids: Iterable<string>): Promise<Map<string, Staff>> {
  const unique = [...new Set(ids)];
  const found = await Promise.all(unique.map((id) => deps.directory.getStaff(id)));
  return new Map(found.flatMap((staff) => (staff ? [[staff.id, staff] as const] : [])));
}

/**
 * The scheduled run (every few minutes: EventBridge in AWS, the local runtime's timer): for every
 * team, the notices due now (shared/domain/shift-notices.ts), each sent once.
 */
export async function runShiftNotices(deps: Dependencies): Promise<ShiftNoticeOutcome[]> {
  const now = deps.clock.now();
  const teams = await deps.directory.listTeams();
  const outcomes: ShiftNoticeOutcome[] = [];
  for (const team of teams) outcomes.push(await noticeTeam(deps, team, now));
  return outcomes;
}

async function noticeTeam(deps: Dependencies, team: Team, now: Date): Promise<ShiftNoticeOutcome> {
  const { from, to } = planningWindow(now);
  const shifts = await deps.directory.shiftsOverlapping(team.id, from, to);
  const staff = await staffById(deps, shifts.map((shift) => shift.staffId));
  const noticesOff = new Set([...staff.values()].filter((member) => member.shiftNotices === false).map((member) => member.id));
  const due = dueShiftNotices({ team, shifts, now, noticesOff });
  const results: ShiftNoticeOutcome['results'] = {};
  for (const notice of due) {
    const result = await sendDue(deps, team, notice, staff);
    results[result] = (results[result] ?? 0) + 1;
  }
  if (due.length > 0) deps.log.info('shift notices run', { teamId: team.id, ...results });
  return { teamId: team.id, results };
}

async function sendDue(deps: Dependencies, team: Team, notice: DueNotice, staff: ReadonlyMap<string, Staff>): Promise<NoticeResult> {
  const keepUntil = new Date(Date.parse(notice.end) + KEEP_AFTER_END_MS);
  if (notice.kind === 'shift') {
    const member = staff.get(notice.staffId);
    if (!member) return 'nobody-to-tell';
    return sendOnce(deps, {
      key: notice.key,
      keepUntil,
      to: member.phone,
      text: shiftNoticeText({ position: notice.position, teamName: team.name, start: notice.start, end: notice.end }),
      limit: smsLimits.shiftNoticesPerPhone,
      quotaKey: 'shift-notice',
      metric: 'ShiftNoticesSent',
      log: { teamId: team.id, staffId: member.id, notice: notice.notice },
    });
  }
  const to = await emptyPositionContact(deps, team, notice.managerStaffId, staff);
  if (!to) {
    deps.log.warn('a rota position starts empty, and nobody to tell', { teamId: team.id, position: notice.position });
    return 'nobody-to-tell';
  }
  return sendOnce(deps, {
    key: notice.key,
    keepUntil,
    to,
    text: emptyPositionText({ position: notice.position, teamName: team.name, start: notice.start, end: notice.end }),
    limit: smsLimits.emptyPositionAlertsPerPhone,
    quotaKey: 'empty-position',
    metric: 'EmptyPositionAlerts',
    log: { teamId: team.id, position: notice.position },
  });
}

/** The manager on duty when the position goes empty, else the team's fallback phone, else the service's. */
async function emptyPositionContact(deps: Dependencies, team: Team, managerStaffId: string | null, staff: ReadonlyMap<string, Staff>): Promise<string | null> {
  const manager = managerStaffId ? (staff.get(managerStaffId) ?? (await deps.directory.getStaff(managerStaffId))) : null;
  if (manager) return manager.phone;
  return teamOrServiceFallback(deps, team);
}

/**
 * An override or swap was just stored: the person it puts on the rota and each person it takes
 * off are texted at once (side by side), each once per change (a repeated request finds its keys
 * claimed). `stored` are the team's shifts as they were before it, over its window. People who
 * turned their notices off are not texted.
 */
export async function noticeRotaChanges(deps: Dependencies, team: Team, stored: readonly Shift[], added: readonly Shift[]): Promise<NoticeResult[]> {
  const changes = rotaChanges(stored, added, deps.clock.now());
  const staff = await staffById(deps, changes.flatMap((change) => [change.shift.staffId, ...change.replaced.map((duty) => duty.staffId)]));
  const sends: Promise<NoticeResult>[] = [];
  for (const { shift, replaced } of changes) {
    if (Date.parse(shift.end) <= deps.clock.now().getTime()) continue;
    const keepUntil = new Date(Date.parse(shift.end) + KEEP_AFTER_END_MS);
    const cover = staff.get(shift.staffId);
    const names = [...new Set(replaced.map((duty) => staff.get(duty.staffId)?.name ?? duty.staffId))];
    const common = { keepUntil, limit: smsLimits.shiftNoticesPerPhone, quotaKey: 'shift-notice', metric: 'ShiftNoticesSent' as const };
    if (wantsNotices(cover)) {
      sends.push(
        sendOnce(deps, {
          ...common,
          key: `rota-change:${team.id}:${shift.id}:${cover.id}`,
          to: cover.phone,
          text: rotaCoverText({ position: shift.position, teamName: team.name, start: shift.start, end: shift.end, coversName: names.length > 0 ? names.join(' and ') : null }),
          log: { teamId: team.id, staffId: cover.id, notice: 'rota-change' },
        }),
      );
    }
    for (const duty of replaced) {
      const member = staff.get(duty.staffId);
      if (!wantsNotices(member)) continue;
      sends.push(
        sendOnce(deps, {
          ...common,
          key: `rota-change:${team.id}:${shift.id}:${member.id}:${duty.start}`,
          to: member.phone,
          text: rotaCoveredText({ position: duty.position, teamName: team.name, start: duty.start, end: duty.end, coverName: cover?.name ?? shift.staffId }),
          log: { teamId: team.id, staffId: member.id, notice: 'rota-change' },
        }),
      );
    }
  }
  return Promise.all(sends);
}
