/**
 * A referral's audit trail in plain English, for a manager: every entry of its append-only
 * timeline (received, routed, each page and reply, each view of personal data, each change),
 * with who did it. Timelines carry no personal data of the subject, so neither does this.
 */
import { outcomeLabel, resultLabel, type AssessmentResult, type CloseOutcome } from './outcomes.ts';
import { formatLocal, instantToLocal } from './rota-time.ts';
import { legalStatusLabel } from './sms.ts';
import { eventText } from './stage-words.ts';
import type { LegalStatus, TimelineEntry } from './types.ts';

export interface AuditLine {
  at: string;
  type: string;
  /** The staff member or user who acted, when the entry names one. */
  who: string | null;
  text: string;
}

/** Staff and user names by id; an id with no name is shown as the id. */
export type Names = Readonly<Record<string, string>>;

const str = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value));
const name = (names: Names, id: unknown) => (typeof id === 'string' && id ? (names[id] ?? id) : 'nobody');

const places: Record<string, string> = { health_based: 'health-based', emergency_department: 'emergency department', police_station: 'police station', other: 'other' };
const placeLabel = (kind: unknown) => places[str(kind)] ?? str(kind);
const status = (value: unknown) => legalStatusLabel[value as LegalStatus] ?? str(value);
/** UK time to the minute, as the rest of the trail reads. */
const when = (instant: unknown) => (typeof instant === 'string' && !Number.isNaN(Date.parse(instant)) ? `${formatLocal(new Date(instant)).slice(0, 16).replace('T', ' ')} UK time` : 'an unknown time');

function describe(entry: TimelineEntry, names: Names): string {
  const round = Number(entry.round ?? 0) > 0 ? ` (round ${Number(entry.round) + 1})` : '';
  switch (entry.type) {
    case 'received':
      return `Received by ${str(entry.channel) || 'web'}: ${str(entry.urgency).replaceAll('_', ' ')}, ${legalStatusLabel[entry.legalStatus as LegalStatus] ?? str(entry.legalStatus)}, ${str(entry.district)}`;
    case 'routed':
      return `Routed to team ${str(entry.teamId)}; chain: ${
        Array.isArray(entry.chain)
          ? (entry.chain as { position: string; staffId: string | null }[]).map((step) => `${step.position} ${name(names, step.staffId)}`).join(', ')
          : 'none'
      }`;
    case 'no_team_for_area':
      return `No team covers ${str(entry.district)}`;
    case 'routed_to_default_team':
      return `No team lists ${str(entry.district)}: sent to the default team ${str(entry.teamId)}`;
    case 'conflict_declared':
      return `${name(names, entry.staffId)} declared a conflict of interest`;
    case 'no_one_on_duty':
      return `No one on duty as ${str(entry.position)}${round}: step skipped`;
    case 'paged':
      return `Paged ${name(names, entry.staffId)} as ${str(entry.position)}${round}`;
    case 'page_failed':
      return `Page ${entry.staffId ? `to ${name(names, entry.staffId)} ` : ''}failed: ${str(entry.reason).replaceAll('_', ' ')}`;
    case 'voice_call':
      return `Rang ${name(names, entry.staffId)}: the page was not answered, so a voice call followed`;
    case 'unverified_phone_paged':
      return `Paged ${name(names, entry.staffId)} on a phone that is not verified; ${
        entry.told === 'manager' ? 'the manager on duty was texted' : entry.told === 'fallback' ? 'the team fallback phone was texted' : 'no manager or fallback phone to tell'
      }`;
    case 'voice_call_failed':
      return `Voice call to ${name(names, entry.staffId)} not placed: ${str(entry.reason).replaceAll('_', ' ')}; the chain went on`;
    case 'ack_timeout':
      return `No answer from ${name(names, entry.staffId)} in time`;
    case 'declined':
      return `Declined by ${name(names, entry.staffId)}${entry.reasonGiven ? ' (reason given)' : ''}${entry.via ? ` by ${str(entry.via)}` : ''}`;
    case 'skipped':
      return `Skipped ${name(names, entry.staffId)} (${str(entry.position)}): ${str(entry.reason).replaceAll('_', ' ')}`;
    case 'accepted':
      return `Accepted by ${name(names, entry.staffId)}${entry.via ? ` by ${str(entry.via)}` : ''}${entry.afterExhaustion ? ' after the chain ran out' : ''}`;
    case 'chain_exhausted':
      return `Chain exhausted after ${str(entry.rounds)} round(s)`;
    case 'fallback_alerted':
      return `Manager ${name(names, entry.managerStaffId)}${entry.fallbackPhone ? ' and the fallback number' : ''} alerted`;
    case 'referrer_notified':
      return entry.channel === 'sms'
        ? 'Referrer told by SMS who accepted'
        : entry.reason === 'details_removed'
          ? 'Referrer not texted: their number was removed under the retention policy'
          : 'Referrer not texted: their number is not a mobile';
    case 'viewed':
      return `Personal details viewed by ${name(names, entry.by)}`;
    case 'clock_warning': {
      const told = Array.isArray(entry.told) ? (entry.told as string[]) : entry.managerTold ? ['manager'] : [];
      const whom = told.length > 0 ? `${told.map((who) => (who === 'amhp' ? 'the accepting AMHP' : `the ${who}`)).join(', ')} told` : 'nobody could be told';
      return Number(entry.hoursBefore) <= 0 ? `${str(entry.clockKind)} clock ran out; ${whom}` : `${str(entry.clockKind)} clock warning at T−${str(entry.hoursBefore)} h; ${whom}`;
    }
    case 'timers_rearmed':
      return `Overdue ${Array.isArray(entry.actions) ? entry.actions.join(', ') : 'timer'} armed again by the reconciler`;
    case 'clock_extended':
      return `${str(entry.clockKind)} clock extended by ${str(entry.hours)} h by ${name(names, entry.by)}`;
    case 'arrived_at_place_of_safety':
      return `${entry.kept ? 'Kept at' : 'Arrived at'} a place of safety (${placeLabel(entry.placeKind)}, ${str(entry.district)}) at ${when(entry.eventAt)}, reported by ${name(names, entry.by)}`;
    case 'transferred':
      return `Moved to another place of safety (${placeLabel(entry.placeKind)}, ${str(entry.district)}) at ${when(entry.eventAt)}, reported by ${name(names, entry.by)}; the ${str(entry.clockKind)} clock goes on`;
    case 'status_changed':
      return `Legal status changed from ${status(entry.from)} to ${status(entry.to)} at ${when(entry.eventAt)} by ${name(names, entry.by)}${entry.s5_5 ? '; s5(2) runs from the s5(4) record (s5(5))' : ''}`;
    case 'admitted':
      return `Admitted under ${status(entry.section)} at ${when(entry.eventAt)}, recorded by ${name(names, entry.by)}${entry.convertedFromS4 ? '; s2 counted from the s4 admission (s4(4))' : ''}${entry.afterExpiry ? '; AFTER the place of safety period had run out' : ''}`;
    case 'released':
      return `Released at ${when(entry.eventAt)}, recorded by ${name(names, entry.by)}`;
    case 'clock_started':
      return entry.state === 'pending'
        ? `${str(entry.clockKind)} clock pending: it starts at ${str(entry.awaits).replaceAll('_', ' ')}`
        : `${str(entry.clockKind)} clock started from ${str(entry.startEvent).replaceAll('_', ' ')} at ${when(entry.startedAt)}; ends ${when(entry.expiresAt)}`;
    case 'clock_ended':
      return `${str(entry.clockKind)} clock ended (${str(entry.endReason).replaceAll('_', ' ')}) at ${when(entry.endedAt)}`;
    case 'clock_expired':
      return `${str(entry.clockKind)} clock had run out at ${when(entry.expiresAt)}`;
    case 'details_removed':
      return `Personal details found removed under the retention policy${typeof entry.expiredAt === 'string' ? ` (kept until ${formatLocal(new Date(entry.expiredAt)).slice(0, 16).replace('T', ' ')} UK time)` : ''}`;
    case 'nobody_to_page':
      return 'Nobody on duty to page in the team';
    case 'service_fallback_alerted':
      return `Service fallback phone texted: ${str(entry.reason).replaceAll('_', ' ')}`;
    case 'nobody_told':
      return `Nobody could be told (${str(entry.reason).replaceAll('_', ' ')}): no team contact and no service fallback phone is set`;
    case 'handover_listed':
      return `On the morning handover list for the day service (the out-of-hours period ended ${when(entry.periodEnd)}); to be marked received by ${when(entry.ackBy)}`;
    case 'routed_again':
      return `Routed again by ${name(names, entry.by)}`;
    case 'closed':
      return `Closed by ${name(names, entry.by)}: ${outcomeLabel[entry.outcome as CloseOutcome] ?? str(entry.outcome)}${
        entry.result ? `, ${resultLabel[entry.result as AssessmentResult] ?? str(entry.result)}` : ''
      }`;
    default: {
      // The assessment, delays and relatives events, in the words the pages and texts use.
      const text = eventText(entry);
      return text ? `${text} at ${when(entry.eventAt)}, recorded by ${name(names, entry.by)}` : str(entry.type).replaceAll('_', ' ');
    }
  }
}

/**
 * The whole trail: the referral's own timeline (its state changes, in the order they were made)
 * with the views of personal details, kept apart in the store, put in by time. The timeline's
 * order is kept as it is even where its times are not (an event reported late carries the time
 * it happened); a view goes before the first entry made after it.
 */
export function withViews(timeline: readonly TimelineEntry[], views: readonly TimelineEntry[]): TimelineEntry[] {
  if (views.length === 0) return [...timeline];
  const pending = [...views].sort((a, b) => a.at.localeCompare(b.at));
  const merged: TimelineEntry[] = [];
  for (const entry of timeline) {
    while (pending.length > 0 && (pending[0] as TimelineEntry).at < entry.at) merged.push(pending.shift() as TimelineEntry);
    merged.push(entry);
  }
  return [...merged, ...pending];
}

const actor = (entry: TimelineEntry): unknown => entry.by ?? (['paged', 'no_one_on_duty', 'voice_call', 'voice_call_failed', 'unverified_phone_paged'].includes(entry.type) ? null : entry.staffId);

export function auditLines(timeline: readonly TimelineEntry[], names: Names): AuditLine[] {
  return timeline.map((entry) => {
    const who = actor(entry);
    return { at: entry.at, type: entry.type, who: typeof who === 'string' ? name(names, who) : null, text: describe(entry, names) };
  });
}

/** A cell that a spreadsheet will not run as a formula, quoted when it needs to be (RFC 4180). */
export function csvCell(value: string | number | boolean | null): string {
  let text = value === null ? '' : String(value);
  // Text only: a number such as -0.5 is data, not a formula.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvRow = (cells: readonly (string | number | boolean | null)[]) => cells.map(csvCell).join(',');

/**
 * `2026-11-25T02:00:07+00:00`: the London time to the second, as the UTC column has it (an audit
 * trail orders entries that fall in the same minute). London's offset is whole minutes, so the
 * seconds are UTC's.
 */
export function londonWithSeconds(at: Date): string {
  const local = instantToLocal(at);
  return `${local.date}T${local.time}:${String(at.getUTCSeconds()).padStart(2, '0')}${local.offset}`;
}

/** The audit trail as CSV: the entry's own fields in `details`, as JSON, so nothing is lost. */
export function auditCsv(reference: string, timeline: readonly TimelineEntry[], names: Names): string {
  const lines = auditLines(timeline, names);
  const rows = timeline.map((entry, i) => {
    const { at, type, ...details } = entry;
    const line = lines[i] as AuditLine;
    return csvRow([reference, at, londonWithSeconds(new Date(at)), type, line.who, line.text, JSON.stringify(details)]);
  });
  return [csvRow(['reference', 'at_utc', 'at_london', 'type', 'who', 'description', 'details']), ...rows].join('\r\n') + '\r\n';
}
