/**
 * The line tests itself: every few minutes (an EventBridge schedule in AWS, the local scheduler
 * locally) the canary sends one synthetic referral through the real HTTP API to its own team and
 * checks it was routed and paged within a minute, then accepts and closes it
 * (shared/app/line-check.ts, the steps `npm run smoke` runs too). It publishes `CanarySucceeded`
 * (1 or 0) and each step's duration; the stack's alarm fires on a 0 or on no figure at all.
 */
import type { DurationMetric, Log, Metrics } from '../ports.ts';
import { checkLine, StepFailed, type LineActors, type LineApi, type LineCheckPlan, type StepId, type StepResult } from './line-check.ts';

/** The canary's own team, in a district no real postcode has (the smoke test's is ZY9). */
export const CANARY_TEAM = { teamId: 'canary', area: 'ZY8', staffId: 'canary-amhp' } as const;
/** The brief: routed and paged within 60 s, or the run fails. */
export const CANARY_ROUTING_TIMEOUT_MS = 60_000;

export interface CanarySettings {
  api: LineApi;
  plan: LineCheckPlan;
  signIn: () => Promise<LineActors>;
  /** Locally: the page in the SMS outbox. */
  pageTexted?: (reference: string, timeoutMs: number) => Promise<boolean>;
  /** Told of every run's result (the local index page shows the last). */
  onResult?: (run: CanaryRun) => void;
}

/** One run, as the local page and the log show it: no personal data (there is none). */
export interface CanaryRun {
  at: string;
  ok: boolean;
  totalMs: number;
  steps: StepResult[];
  reference?: string;
  failure?: string;
  cleanup?: string;
}

/** The steps whose durations are published; the set-up steps are not the line's own time. */
const stepMetrics: Partial<Record<StepId, DurationMetric>> = {
  submit: 'CanarySubmitDuration',
  routedAndPaged: 'CanaryRoutedAndPagedDuration',
  accept: 'CanaryAcceptDuration',
  close: 'CanaryCloseDuration',
};

export async function runCanary(settings: CanarySettings, deps: { metrics: Metrics; log: Log; now: () => Date }): Promise<CanaryRun> {
  const at = deps.now().toISOString();
  const result = await checkLine({
    api: settings.api,
    plan: settings.plan,
    signIn: {
      name: 'sign in as the canary',
      run: () =>
        settings.signIn().catch((error: unknown) => {
          throw new StepFailed(`sign-in failed: ${error instanceof Error ? error.message : 'error'}`);
        }),
    },
    ...(settings.pageTexted ? { pageTexted: settings.pageTexted } : {}),
  });
  const run: CanaryRun = {
    at,
    ok: result.ok,
    totalMs: result.totalMs,
    steps: result.steps,
    ...(result.referral ? { reference: result.referral.reference } : {}),
    ...(result.failure ? { failure: result.failure } : {}),
    ...(result.cleanup ? { cleanup: result.cleanup } : {}),
  };
  publish(deps.metrics, run);
  if (run.ok) deps.log.info('canary passed', { totalMs: run.totalMs, steps: stepLog(run) });
  else deps.log.error('canary failed', { failure: run.failure, cleanup: run.cleanup, steps: stepLog(run) });
  settings.onResult?.(run);
  return run;
}

export function publish(metrics: Metrics, run: CanaryRun): void {
  metrics.count('CanarySucceeded', run.ok ? 1 : 0);
  metrics.duration('CanaryDuration', run.totalMs / 1000);
  for (const step of run.steps) {
    const name = stepMetrics[step.id];
    if (name && step.ok) metrics.duration(name, step.ms / 1000);
  }
}

const stepLog = (run: CanaryRun) => Object.fromEntries(run.steps.map((step) => [step.id, `${step.ok ? 'ok' : 'FAIL'} ${step.ms} ms`]));
