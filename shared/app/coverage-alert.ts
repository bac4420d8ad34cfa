import { COVERAGE_ALERT_HOUR, coverageAlertText } from '../domain/coverage.ts';
import { normaliseUkMobile } from '../domain/phone.ts';
import { instantToLocal } from '../domain/rota-time.ts';
import type { Team } from '../domain/types.ts';
import { SmsDeliveryError, type Dependencies } from '../ports.ts';
import { teamCoverageWithin } from './manager-views.ts';

export interface CoverageAlertOutcome {
  teamId: string;
  result: 'no-gap' | 'alerted' | 'already-alerted' | 'nobody-to-tell' | 'failed';
  gaps: number;
}

/** The run marker is kept two days, past the London day it is for. */
const MARKER_MS = 2 * 86_400_000;

/**
 * The daily coverage check. Run often (every 30 minutes); from COVERAGE_ALERT_HOUR London time,
 * once per team per London day, the managers rostered in the next 24 hours (else the team's
 * fallback number) are texted if the rota has a gap in that time. The once-a-day marker is taken
 * before sending, so overlapping or repeated runs never text twice; a send that fails is counted
 * (the SmsFailures alarm) and logged, and is not retried until the next day.
 */
export async function runCoverageCheck(deps: Dependencies): Promise<CoverageAlertOutcome[]> {
  const now = deps.clock.now();
  const local = instantToLocal(now);
  if (Number(local.time.slice(0, 2)) < COVERAGE_ALERT_HOUR) return [];
  const teams = await deps.directory.listTeams();
  const outcomes: CoverageAlertOutcome[] = [];
  for (const team of teams) outcomes.push(await checkTeam(deps, team, local.date, now));
  return outcomes;
}

async function checkTeam(deps: Dependencies, team: Team, date: string, now: Date): Promise<CoverageAlertOutcome> {
  const coverage = await teamCoverageWithin(deps, team, now, new Date(now.getTime() + 86_400_000));
  if (coverage.gaps.length === 0) return { teamId: team.id, result: 'no-gap', gaps: 0 };
  if (!deps.replayGuard) throw new Error('the replay guard is not configured');
  if (!(await deps.replayGuard.claim(`coverage-alert:${team.id}:${date}`, new Date(now.getTime() + MARKER_MS)))) {
    return { teamId: team.id, result: 'already-alerted', gaps: coverage.gaps.length };
  }
  const managers = await Promise.all(coverage.managers.map((id) => deps.directory.getStaff(id)));
  const phones = [...new Set(managers.flatMap((m) => (m ? [m.phone] : [])))];
  const fallback = team.fallbackPhone ? normaliseUkMobile(team.fallbackPhone) : null;
  if (phones.length === 0 && fallback) phones.push(fallback);
  if (phones.length === 0) {
    deps.log.warn('rota gap in the next 24 hours, and nobody to tell', { teamId: team.id, gaps: coverage.gaps.length });
    return { teamId: team.id, result: 'nobody-to-tell', gaps: coverage.gaps.length };
  }
  const text = coverageAlertText({ teamName: team.name, gaps: coverage.gaps });
  let failed = false;
  for (const phone of phones) {
    try {
      await deps.sms.send(phone, text);
    } catch (error) {
      if (!(error instanceof SmsDeliveryError)) throw error;
      failed = true;
      deps.metrics.count('SmsFailures');
      deps.log.error('coverage alert SMS not delivered', { teamId: team.id, failure: error.causeName });
    }
  }
  deps.metrics.count('CoverageGapAlerts');
  deps.log.info('coverage alert sent', { teamId: team.id, gaps: coverage.gaps.length, recipients: phones.length });
  return { teamId: team.id, result: failed ? 'failed' : 'alerted', gaps: coverage.gaps.length };
}
