import { DEFAULT_OVERRUN_MINUTES, isHandoverOverrun, overrunAtFor, owedOverruns, type Overrun, type OverrunInput, type OverrunSettings } from '../domain/overruns.ts';
import { handoverReminderText, overrunText } from '../domain/sms.ts';
import type { Team, TimelineEntry } from '../domain/types.ts';
import type { Dependencies, OverrunMessage, PendingEffect } from '../ports.ts';
import { addEffects, changeReferral } from './outbox.ts';
import { alertServiceFallback } from './service-fallback.ts';
import { managerPhone } from './team-contacts.ts';

/** A team's overrun times, its own or the defaults. */
export const overrunSettingsOf = (team: Team | null | undefined): OverrunSettings => ({ ...DEFAULT_OVERRUN_MINUTES, ...(team?.overruns ?? {}) });

/** The entries a write adds, each with the deadline (`overrunAt`) its team's times give it, where it plans one. */
export function withOverrunDeadlines(entries: readonly TimelineEntry[], settings: OverrunSettings): TimelineEntry[] {
  return entries.map((entry) => {
    const at = overrunAtFor(entry, settings);
    return at ? { ...entry, overrunAt: at } : entry;
  });
}

const timerFor = (overrun: Overrun): PendingEffect => ({ kind: 'overrun-timer', overrun: overrun.kind, dueAt: overrun.dueAt });
const keyOf = (overrun: Overrun) => `${overrun.kind}|${overrun.dueAt}`;

/** A timer for each overrun the write made owed (one already owed before it has its timer). */
export function overrunTimerEffects(before: OverrunInput | null, after: OverrunInput): PendingEffect[] {
  const known = new Set((before ? owedOverruns(before) : []).map(keyOf));
  return owedOverruns(after)
    .filter((overrun) => !known.has(keyOf(overrun)))
    .map(timerFor);
}

/** Overruns that fell due while the referral waited for a team: the routing write arms them again (their timers stood down). */
export function dueOverrunTimerEffects(referral: OverrunInput, now: Date): PendingEffect[] {
  return owedOverruns(referral)
    .filter((overrun) => Date.parse(overrun.dueAt) <= now.getTime())
    .map(timerFor);
}

/**
 * An overrun's timer fired: if the stage is still overdue and nobody has been told, the manager on
 * duty (else the team's fallback, else the service fallback) is texted once, and for beds the
 * team's bed manager too; the timeline records it (counted as Overruns) and the board shows it.
 * A handover not marked received reminds the day service as well, and its second step goes to the
 * service fallback whoever else is told: by then nobody has taken the referral on.
 */
export async function handleOverrun(deps: Dependencies, message: OverrunMessage) {
  return changeReferral(deps, message.referralId, async (referral, now) => {
    // Not yet routed, so no team to tell: the routing write arms it again (dueOverrunTimerEffects).
    if (referral.status === 'received') return null;
    // The canary's synthetic referrals never reach a manager's phone, nor count as nobody told.
    if (referral.synthetic) return null;
    const overrun = owedOverruns(referral).find((owed) => owed.kind === message.overrun && owed.dueAt === message.dueAt);
    if (!overrun || Date.parse(overrun.dueAt) > now.getTime() + 1_000) return null;
    const text = overrunText({ reference: referral.reference, overrun: overrun.kind, since: overrun.since, legalStatus: referral.legal.status });
    const manager = await managerPhone(deps, referral.teamId, now);
    const at = now.toISOString();
    const effects: PendingEffect[] = [];
    const entry: TimelineEntry = { at, type: 'overrun_alerted', overrun: overrun.kind, dueAt: overrun.dueAt };
    const extra: TimelineEntry[] = [];
    const toServiceFallback = async () => {
      const told = await alertServiceFallback(deps, text, isHandoverOverrun(overrun.kind) ? 'handover_unanswered' : 'stage_overrun', at, referral);
      effects.push(...told.effects);
      extra.push(told.entry);
    };
    if (manager) effects.push({ kind: 'sms', to: manager, text, purpose: 'overrun-alert' });
    else await toServiceFallback();
    // Only a bed or a handover needs more than the manager, so only then is the team read.
    const team = (overrun.kind === 'no_bed' || isHandoverOverrun(overrun.kind)) && referral.teamId ? await deps.directory.getTeam(referral.teamId) : null;
    const also = (to: string | undefined, say: string) => {
      if (!to || effects.some((effect) => effect.kind === 'sms' && effect.to === to)) return false;
      effects.push({ kind: 'sms', to, text: say, purpose: 'overrun-alert' });
      return true;
    };
    if (overrun.kind === 'no_bed' && also(team?.bedManagerPhone, text)) entry.bedManagerTold = true;
    if (isHandoverOverrun(overrun.kind)) {
      const reminder = handoverReminderText({ reference: referral.reference, teamName: team?.name ?? 'the emergency duty team', periodEnd: overrun.since });
      if (also(team?.handover?.dayServicePhone, reminder)) entry.dayServiceReminded = true;
      if (overrun.kind === 'handover_unanswered' && manager) await toServiceFallback();
    }
    return { ...referral, timeline: [...referral.timeline, entry, ...extra], outbox: addEffects(referral, effects) };
  });
}
