import { Metrics as PowertoolsMetricsClient, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CountMetric, DurationMetric, Metrics } from '../ports.ts';

/** The CloudWatch namespace of dutyline's own metrics; infra/constructs/monitoring.ts reads the same. */
export const METRICS_NAMESPACE = 'dutyline';
/** Powertools' default dimension: the only one dutyline's metrics carry. */
export const METRICS_SERVICE = 'dutyline';

/**
 * Metrics as CloudWatch embedded metric format (EMF) lines on stdout, which Lambda's log
 * delivery turns into metrics: no API call on the emergency path. Buffered during an invocation
 * and flushed at its end by the middleware in functions/commons/wiring.ts.
 */
export class PowertoolsMetrics implements Metrics {
  readonly client: PowertoolsMetricsClient;

  constructor(client?: PowertoolsMetricsClient) {
    this.client = client ?? new PowertoolsMetricsClient({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });
  }

  count(name: CountMetric, value = 1): void {
    this.client.addMetric(name, MetricUnit.Count, value);
  }

  duration(name: DurationMetric, seconds: number): void {
    this.client.addMetric(name, MetricUnit.Seconds, seconds);
  }

  /** Writes what this invocation recorded; an invocation that recorded nothing writes nothing. */
  flush(): void {
    if (this.client.hasStoredMetrics()) this.client.publishStoredMetrics();
  }
}
