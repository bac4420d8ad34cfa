import type { CountMetric, DurationMetric, Metrics } from '../ports.ts';

export interface RecordedMetric {
  name: CountMetric | DurationMetric;
  unit: 'Count' | 'Seconds';
  value: number;
}

/** Keeps every metric in memory: the local runtime's stand-in for CloudWatch, and what tests read. */
export class RecordingMetrics implements Metrics {
  readonly recorded: RecordedMetric[] = [];

  count(name: CountMetric, value = 1): void {
    this.recorded.push({ name, unit: 'Count', value });
  }

  duration(name: DurationMetric, seconds: number): void {
    this.recorded.push({ name, unit: 'Seconds', value: seconds });
  }

  /** The sum of a count (or of the durations) recorded under a name. */
  total(name: CountMetric | DurationMetric): number {
    return this.recorded.filter((metric) => metric.name === name).reduce((sum, metric) => sum + metric.value, 0);
  }

  values(name: CountMetric | DurationMetric): number[] {
    return this.recorded.filter((metric) => metric.name === name).map((metric) => metric.value);
  }
}
