import { describe, expect, it } from 'vitest';
import { MAX_SQS_DELAY_SECONDS, TIMER_EARLY_TOLERANCE_MS, timerDelaySeconds } from '../../../shared/adapters/sqs-queues.ts';

const NOW = new Date('2026-12-03T02:00:00.000Z');
const dueIn = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

describe('timerDelaySeconds', () => {
  it.each([
    [20_000, 20],
    [20_499, 20],
    [20_500, 21],
    [19_600, 20],
    [400, 0],
    [-5_000, 0],
    [3_600_000, MAX_SQS_DELAY_SECONDS],
  ])('delays a timer due in %i ms by %i s', (ms, seconds) => {
    expect(timerDelaySeconds(dueIn(ms), NOW)).toBe(seconds);
  });

  it('never delivers a timer earlier than the escalator takes as due, nor a second late', () => {
    for (let ms = 0; ms <= 5_000; ms += 37) {
      const arrivesIn = timerDelaySeconds(dueIn(ms), NOW) * 1000;
      expect(ms - arrivesIn).toBeLessThanOrEqual(TIMER_EARLY_TOLERANCE_MS);
      expect(arrivesIn - ms).toBeLessThanOrEqual(500);
    }
  });
});
