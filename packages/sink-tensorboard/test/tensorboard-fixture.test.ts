import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readEvents } from '../src/index.js';

// Written by TensorBoard's own Python EventFileWriter: see fixtures/make_fixture.py.
const fixture = fileURLToPath(new URL('./fixtures/tensorboard-writer.tfevents', import.meta.url));

describe('a file written by TensorBoard', () => {
  it('parses with our reader, every checksum verified', async () => {
    const events = await readEvents(fixture);
    expect(events[0]?.fileVersion).toBe('brain.Event:2');
    const byStep = new Map(events.slice(1).map((event) => [event.step, event]));
    expect([...byStep.keys()]).toEqual([1, 2, 3, 4, 5]);
    expect(byStep.get(1)?.wallTime).toBe(1_700_000_001.5);
    expect(byStep.get(1)?.values).toEqual([{ tag: 'Train/Loss', kind: 'scalar', value: 0.25 }]);
    expect(byStep.get(2)?.values).toEqual([{ tag: 'Train/AvgReward', kind: 'scalar', value: 0.75 }]);
    expect(byStep.get(3)?.values).toEqual([{ tag: 'Samples/Best', kind: 'text', text: 'def add(a, b):\n    return a + b' }]);
    expect(byStep.get(4)?.values).toEqual([
      {
        tag: 'Rewards/Histogram',
        kind: 'histogram',
        histogram: { min: -1, max: 2, num: 4, sum: 2.5, sumSquares: 5.25, bucketLimits: [0, 1, 2], buckets: [1, 2, 1] },
      },
    ]);
    expect(byStep.get(5)?.values).toEqual([
      { tag: 'Advantages', kind: 'tensor', pluginName: 'histograms', dtype: 2, shape: [2, 3], values: [0, 0.5, 1, 0.5, 1, 2] },
    ]);
  });
});
