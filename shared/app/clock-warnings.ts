import { clockWarnings, warningAudience, type WarningAudience } from '../domain/clocks.ts';
import { clockWarningText } from '../domain/sms.ts';
import type { StatutoryClock } from '../domain/types.ts';
import type { ClockWarningMessage, Dependencies, PendingEffect, Referral } from '../ports.ts';
import { addEffects, changeReferral } from './outbox.ts';
import { managerPhone } from './team-contacts.ts';

/** A timer per warning still to give; each carries the expiry it is about. */
export function clockTimerEffects(clocks: readonly StatutoryClock[], now: Date): PendingEffect[] {
  return clockWarnings(clocks, now).map((warning) => ({
    kind: 'clock-timer',
    clockKind: warning.clockKind,
    hoursBefore: warning.hoursBefore,
    expiresAt: warning.expiresAt,
    dueAt: warning.warnAt,
  }));
}

/**
 * Warnings the routing write must arm again: those that came due while the referral waited for a
 * team (their timers found it `received` and stood down), not yet given.
 */
export function dueClockTimerEffects(referral: Referral, now: Date): PendingEffect[] {
  return clockTimerEffects(referral.clocks, now).filter(
    (effect) =>
      effect.kind === 'clock-timer' &&
      Date.parse(effect.dueAt) <= now.getTime() &&
      !referral.timeline.some(
        (e) => e.type === 'clock_warning' && e.clockKind === effect.clockKind && e.expiresAt === effect.expiresAt && Number(e.hoursBefore) <= effect.hoursBefore,
      ),
  );
}

/**
 * Gives a clock warning when its timer falls due: T−6 h and T−2 h to the manager on duty, T−1 h
 * to the accepting AMHP as well, and at expiry to all of them and the fallback (warningAudience).
 * Where the referral has no team yet that can tell (unrouted, no manager and no team fallback on
 * duty), the service fallback stands in for the manager: nothing ends in silence.
 */
export async function handleClockWarning(deps: Dependencies, message: ClockWarningMessage) {
  return changeReferral(deps, message.referralId, async (referral, now) => {
    // Not yet routed, so no team to warn: the timer stands down and the routing write arms the
    // warning again (dueClockTimerEffects). Re-scheduling it here looped once a second for as long
    // as routing took; if routing never comes, the next-action index has the reconciler re-queue it.
    if (referral.status === 'received') return null;
    // Warnings are for open referrals only.
    if (referral.status === 'closed') return null;
    const clock = referral.clocks.find((c) => c.kind === message.clockKind);
    // A warning planned for another expiry (since extended, or a clock restarted by a reported
    // arrival) is stale; one for a clock that ended (admission, release, a change of status) is
    // about a power that no longer holds anyone: neither is sent.
    if (!clock || clock.expiresAt !== message.expiresAt || clock.endedAt) return null;
    // Already given, or overtaken by a later warning for the same expiry (a late T−6 h after T−2 h).
    const given = referral.timeline.some(
      (e) =>
        e.type === 'clock_warning' &&
        e.clockKind === message.clockKind &&
        e.expiresAt === message.expiresAt &&
        Number(e.hoursBefore) <= message.hoursBefore,
    );
    if (given) return null;
    const told = await warningRecipients(deps, referral, message.hoursBefore, now);
    const effects: PendingEffect[] = told.map(({ to, audience }) => {
      const words = { reference: referral.reference, clockKind: clock.kind, expiresAt: clock.expiresAt, status: referral.status, audience };
      return { kind: 'sms', to, purpose: 'clock-warning', text: clockWarningText({ ...words, now }), clockWarning: words };
    });
    if (told.length === 0) deps.log.error('clock warning has nobody to tell', { referralId: referral.id, clockKind: clock.kind, hoursBefore: message.hoursBefore });
    const audiences = [...new Set(told.map((t) => t.audience))];
    return {
      ...referral,
      timeline: [
        ...referral.timeline,
        {
          at: now.toISOString(),
          type: 'clock_warning',
          clockKind: clock.kind,
          hoursBefore: message.hoursBefore,
          expiresAt: clock.expiresAt,
          managerTold: audiences.includes('manager'),
          told: audiences,
          ...(told.length === 0 ? { nobodyTold: true } : {}),
        },
      ],
      outbox: addEffects(referral, effects),
    };
  });
}

/** The numbers a warning at this threshold goes to, each once, with whom it is for. */
async function warningRecipients(
  deps: Dependencies,
  referral: Referral,
  hoursBefore: number,
  now: Date,
): Promise<{ to: string; audience: WarningAudience }[]> {
  const audience = warningAudience(hoursBefore);
  const service = await deps.directory.getServiceSettings();
  const team = referral.teamId ? await deps.directory.getTeam(referral.teamId) : null;
  const candidates: { to: string | null | undefined; audience: WarningAudience }[] = [
    // The manager on duty, else the team's fallback phone, else (no team, or neither) the service fallback.
    { to: (await managerPhone(deps, referral.teamId, now)) ?? service.fallbackPhone, audience: 'manager' },
  ];
  if (audience.includes('amhp') && referral.status === 'accepted' && referral.assignedTo) {
    candidates.push({ to: (await deps.directory.getStaff(referral.assignedTo))?.phone, audience: 'amhp' });
  }
  if (audience.includes('fallback')) candidates.push({ to: team?.fallbackPhone ?? service.fallbackPhone, audience: 'fallback' });
  const seen = new Set<string>();
  return candidates.flatMap(({ to, audience: who }) => {
    if (!to || seen.has(to)) return [];
    seen.add(to);
    return [{ to, audience: who }];
  });
}
