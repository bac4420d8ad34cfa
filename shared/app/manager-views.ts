/**
 * What the EDT managers' pages and the dashboard API read: the live board, response-time
 * statistics, a referral's audit trail and rota coverage. Every read is a Query of an index or a
 * GetItem, never a scan: the board is one Query per team (plus one for referrals no team holds
 * yet), statistics one Query per team for the window.
 */
import { withoutSynthetic } from '../domain/synthetic.ts';
import { auditLines, withViews, type AuditLine } from '../domain/audit.ts';
import { boardRow, sortBoard, type BoardRow } from '../domain/board.ts';
import { COVER_DAYS, coverageByPosition, coverWindow, type PositionCoverage } from '../domain/coverage.ts';
import { ResponseTimesTally, type ResponseTimeReport } from '../domain/response-times.ts';
import { AssessmentFiguresTally, type AssessmentFiguresReport } from '../domain/assessment-figures.ts';
import { inTurn, inTurnInOrder, referralEvents, TEAMS_AT_A_TIME, teamFigureRecords } from './statistics-read.ts';

const STAFF_AT_A_TIME = 16;
import type { ReportLabels } from '../domain/response-times-csv.ts';
import { isPhoneVerified } from '../domain/phone-verification.ts';
import { checkRota, effectiveRota, type RotaGap } from '../domain/rota.ts';
import type { Team, TimelineEntry } from '../domain/types.ts';
import { detailsRetention, type DetailsRetention } from '../domain/retention.ts';
import type { Dependencies, Referral } from '../ports.ts';
import { hasRole, type Caller } from './caller.ts';
import { noticeRemoval } from './personal-details.ts';

/** The teams a caller manages: an administrator all of them, a manager those their staff record lists. */
export async function managedTeams(deps: Dependencies, caller: Caller): Promise<Team[]> {
  let teams: Team[] = [];
  if (hasRole(caller, 'admin')) teams = await deps.directory.listTeams();
  else if (hasRole(caller, 'manager') && caller.staffId) {
    const staff = await deps.directory.getStaff(caller.staffId);
    const found = await Promise.all((staff?.teamIds ?? []).map((id) => deps.directory.getTeam(id)));
    teams = found.filter((team): team is Team => team !== null);
  }
  return teams.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export const isManager = (caller: Caller) => hasRole(caller, 'manager', 'admin');

export interface BoardEntry extends BoardRow {
  teamName: string | null;
  holderName: string | null;
}

export interface ManagerBoard {
  teams: Team[];
  rows: BoardEntry[];
  generatedAt: string;
  /** Slots in the next 24 hours held by someone whose phone is not verified: pages may not reach them. */
  phoneGaps: (RotaGap & { teamName: string })[];
}

export async function staffNames(deps: Dependencies, ids: Iterable<string>): Promise<Record<string, string>> {
  const unique = [...new Set(ids)];
  // A year of 120 teams names hundreds of AMHPs: in batches where the store can; else a few at a time, as all at once outran the clients' timeouts.
  const staff = deps.directory.getStaffMany ? [...(await deps.directory.getStaffMany(unique)).values()] : await inTurn(unique, STAFF_AT_A_TIME, (id) => deps.directory.getStaff(id));
  return Object.fromEntries(staff.flatMap((member) => (member ? [[member.id, member.name]] : [])));
}

export function boardInput(referral: Referral) {
  return {
    ...referral,
    legalStatus: referral.legal.status,
  };
}

/** Every open referral of the teams, and those no team holds yet (on every manager's board). */
export async function managerBoard(deps: Dependencies, teams: readonly Team[]): Promise<ManagerBoard> {
  const now = deps.clock.now();
  const lists = await Promise.all([...teams.map((team) => deps.referrals.openReferrals(team.id)), deps.referrals.openReferrals(null)]);
  const rows = sortBoard(withoutSynthetic(lists.flat()).map((referral) => boardRow(boardInput(referral), now)));
  const names = await staffNames(deps, rows.flatMap((row) => (row.holder ? [row.holder.staffId] : [])));
  const teamNames = Object.fromEntries(teams.map((team) => [team.id, team.name]));
  const day = new Date(now.getTime() + 86_400_000);
  const coverages = await Promise.all(teams.map((team) => teamCoverageWithin(deps, team, now, day)));
  return {
    teams: [...teams],
    phoneGaps: coverages.flatMap((c) => c.gaps.filter((gap) => gap.reason === 'unverified-phone').map((gap) => ({ ...gap, teamName: c.team.name }))),
    rows: rows.map((row) => ({
      ...row,
      teamName: row.teamId ? (teamNames[row.teamId] ?? row.teamId) : null,
      holderName: row.holder ? (names[row.holder.staffId] ?? row.holder.staffId) : null,
    })),
    generatedAt: now.toISOString(),
  };
}

export { referralEvents };

export interface ResponseReportView {
  report: ResponseTimeReport;
  /** From the arrival at the place of safety on (issue 13 part 6), of the same referrals. */
  figures: AssessmentFiguresReport;
  labels: ReportLabels;
}

/**
 * Statistics of referrals the teams received in [from, to): per team, one Query of its daily
 * roll-ups and one of its referrals for the days not rolled up (shared/app/statistics-read.ts).
 * `storeRollups`: store the days it read whole that can be rolled up (the page does; the dashboard
 * has read access only).
 */
export async function responseReport(deps: Dependencies, teams: readonly Team[], window: { from: Date; to: Date }, options: { storeRollups?: boolean } = {}): Promise<ResponseReportView> {
  const times = new ResponseTimesTally(window);
  const assessment = new AssessmentFiguresTally(window, deps.clock.now());
  // Each team's referrals are added as they are read, in the teams' order, and not kept: adding up
  // overlaps the next teams' Queries, and 120 teams' year never has to be held at once.
  await inTurnInOrder(
    teams,
    TEAMS_AT_A_TIME,
    (team) => teamFigureRecords(deps, team.id, window, { storeRollups: options.storeRollups ?? false }),
    (records) => {
      for (const record of records) {
        times.add(record.timings);
        assessment.add(record.facts);
      }
    },
  );
  const report = times.report();
  const figures = assessment.report();
  const amhpIds = [...new Set([...report.all.byAmhp.map((group) => group.key), ...figures.byAmhp.map((group) => group.key)])];
  return {
    report,
    figures,
    labels: {
      teams: Object.fromEntries(teams.map((team) => [team.id, team.name])),
      amhps: await staffNames(deps, amhpIds),
    },
  };
}

export type AuditResult =
  | {
      kind: 'found';
      referral: Referral;
      lines: AuditLine[];
      names: Record<string, string>;
      teamName: string | null;
      /** Whether the person's details are still kept, or when they were removed under the retention policy. */
      retention: DetailsRetention;
    }
  | { kind: 'not-found' }
  | { kind: 'forbidden' };

/** Staff ids a timeline names, to show names instead. */
function staffIdsIn(timeline: readonly TimelineEntry[]): string[] {
  const ids = new Set<string>();
  for (const entry of timeline) {
    for (const key of ['staffId', 'managerStaffId', 'by']) if (typeof entry[key] === 'string') ids.add(entry[key]);
    if (Array.isArray(entry.chain)) for (const step of entry.chain as { staffId?: unknown }[]) if (typeof step.staffId === 'string') ids.add(step.staffId);
  }
  return [...ids];
}

/**
 * A referral's whole timeline for a manager of its team (or any manager, when no team holds it,
 * or an administrator). Not-found and forbidden are told apart only for managers.
 */
export async function referralAudit(deps: Dependencies, caller: Caller, referralId: string): Promise<AuditResult> {
  if (!isManager(caller)) return { kind: 'forbidden' };
  const stored = await deps.referrals.get(referralId);
  if (!stored) return { kind: 'not-found' };
  const teams = await managedTeams(deps, caller);
  const allowed = hasRole(caller, 'admin') || !stored.teamId || teams.some((team) => team.id === stored.teamId);
  if (!allowed) return { kind: 'forbidden' };
  const retention = detailsRetention(stored.detailsExpireAt, deps.clock.now());
  const [noticed, views] = await Promise.all([noticeRemoval(deps, stored, retention), deps.audit.views(referralId)]);
  const referral = { ...noticed, timeline: withViews(noticed.timeline, views) };
  const names = await staffNames(deps, staffIdsIn(referral.timeline));
  const team = referral.teamId ? (teams.find((t) => t.id === referral.teamId) ?? (await deps.directory.getTeam(referral.teamId))) : null;
  return { kind: 'found', referral, lines: auditLines(referral.timeline, names), names, teamName: team?.name ?? null, retention };
}

export interface TeamCoverage {
  team: Team;
  from: string;
  to: string;
  gaps: RotaGap[];
  positions: PositionCoverage[];
}

export const COVERAGE_DAYS = COVER_DAYS;

/**
 * Rota gaps of the team over the same London days the rota page shows (`coverWindow`), from the
 * rota check it uses: both pages count the same gaps.
 */
export async function teamCoverage(deps: Dependencies, team: Team, days = COVERAGE_DAYS): Promise<TeamCoverage & { managers: string[] }> {
  const { from, to } = coverWindow(deps.clock.now(), undefined, days);
  return teamCoverageWithin(deps, team, from, to);
}

/** Of these staff, those whose phone is not verified (or who are not known): their slots count as gaps. */
export async function unverifiedPhones(deps: Dependencies, staffIds: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(staffIds)];
  if (unique.length === 0) return new Set();
  const staff = await Promise.all(unique.map((id) => deps.directory.getStaff(id)));
  return new Set(unique.filter((_id, i) => {
    const member = staff[i];
    return !member || !isPhoneVerified(member);
  }));
}

/** Rota gaps of the team in [from, to): the daily SMS looks at the next 24 hours from now. */
export async function teamCoverageWithin(deps: Dependencies, team: Team, from: Date, to: Date): Promise<TeamCoverage & { managers: string[] }> {
  const shifts = await deps.directory.shiftsOverlapping(team.id, from, to);
  const segments = effectiveRota(shifts, from, to);
  const { gaps } = checkRota(shifts, team, from, to, segments, { unverifiedStaff: await unverifiedPhones(deps, segments.map((s) => s.staffId)) });
  return {
    team,
    from: from.toISOString(),
    to: to.toISOString(),
    gaps,
    positions: coverageByPosition(gaps),
    managers: [...new Set(segments.filter((s) => s.position === 'manager').map((s) => s.staffId))],
  };
}
