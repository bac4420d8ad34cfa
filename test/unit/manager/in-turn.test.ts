import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inTurnInOrder } from '../../../shared/app/statistics-read.ts';

describe('inTurnInOrder (how the statistics add up each team as it is read)', () => {
  it('takes every result once, in the items’ order, whatever order they finish in, with at most `limit` running', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 5 }), async (s, count, limit) => {
        const items = Array.from({ length: count }, (_, i) => i);
        const taken: number[] = [];
        let running = 0;
        let most = 0;
        const done = inTurnInOrder(
          items,
          limit,
          async (item) => {
            running += 1;
            most = Math.max(most, running);
            await s.schedule(Promise.resolve(), `item ${item}`);
            running -= 1;
            return item * 10;
          },
          (result) => taken.push(result),
        );
        await s.waitFor(done);
        expect(taken).toEqual(items.map((i) => i * 10));
        expect(most).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 300 },
    );
  });

  it('hands on a result before the slower items after it are done', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const taken: string[] = [];
    const done = inTurnInOrder(['fast', 'slow'], 2, async (item) => {
      if (item === 'slow') await slow;
      return item;
    }, (result) => taken.push(result));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(taken).toEqual(['fast']);
    release();
    await done;
    expect(taken).toEqual(['fast', 'slow']);
  });
});
