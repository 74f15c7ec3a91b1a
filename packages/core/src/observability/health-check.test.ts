import { describe, expect, it } from 'vitest';
import { HealthCheck, type HealthInput } from './health-check.js';

const batch = (step: number, overrides: Partial<HealthInput> = {}): HealthInput => ({
  epoch: 1, batch: step, step, rewardMean: 0.5, loss: 0.1, kl: 0.01, generationSeconds: 1, scoringSeconds: 1, trainingSeconds: 1,
  rawTokensPerSec: 100, keptTokensPerSec: 100, diversity: 1, fracZeroStdGroups: 0, ...overrides,
});

describe('HealthCheck', () => {
  it('warns when an update was skipped for a non-finite gradient, with the running count', () => {
    const health = new HealthCheck();
    expect(health.observe(batch(1)).status).toBe('OK');
    const first = health.observe(batch(2, { skippedUpdates: 1 }));
    expect(first.status).toBe('WARN');
    expect(first.issues).toEqual([expect.stringMatching(/^1 update\(s\) skipped: the gradient was not finite \(1 so far\)/)]);
    expect(health.observe(batch(3, { skippedUpdates: 0 })).status).toBe('OK');
    expect(health.observe(batch(4, { skippedUpdates: 2 })).line).toMatch(/2 update\(s\) skipped: the gradient was not finite \(3 so far\)/);
  });
});

describe('HealthCheck thresholds and actions', () => {
  it("warns of a generation bottleneck above the reference's 70% of the step", () => {
    const health = new HealthCheck();
    expect(health.observe(batch(1, { generationSeconds: 6.9, scoringSeconds: 1.6, trainingSeconds: 1.5 })).issues).toEqual([]);
    expect(health.observe(batch(2, { generationSeconds: 7.1, scoringSeconds: 1.5, trainingSeconds: 1.4 })).issues).toEqual([expect.stringMatching(/^generation bottleneck \(71% of step time > 70%\)/)]);
  });

  it('warns when generation throughput drops below half its recent average', () => {
    const health = new HealthCheck();
    for (const step of [1, 2, 3]) expect(health.observe(batch(step, { rawTokensPerSec: 100 })).status).toBe('OK');
    expect(health.observe(batch(4, { rawTokensPerSec: 60 })).status).toBe('OK');
    expect(health.observe(batch(5, { rawTokensPerSec: 30 })).issues).toEqual([expect.stringMatching(/^generation throughput dropped to 30\.0 tok\/s/)]);
  });

  it("asks for the engine's cache to be released on memory growth or a large cache, and measures growth again after", () => {
    const GB = 1024 ** 3;
    const health = new HealthCheck({ memory: { growthGB: 1, cacheGB: 4 } });
    expect(health.observe(batch(1, { engineMemory: { activeBytes: 2 * GB } })).releaseCache).toBe(false);
    const grown = health.observe(batch(2, { engineMemory: { activeBytes: 3.5 * GB } }));
    expect(grown).toMatchObject({ status: 'WARN', releaseCache: true, issues: [expect.stringMatching(/^engine memory grew 1\.50 GB/)] });
    health.cacheReleased(3 * GB);
    expect(health.observe(batch(3, { engineMemory: { activeBytes: 3.5 * GB } })).releaseCache).toBe(false);
    expect(health.observe(batch(4, { engineMemory: { activeBytes: 3.5 * GB, cacheBytes: 5 * GB } })).issues).toEqual([expect.stringMatching(/^engine cache holds 5\.00 GB/)]);
    // Without thresholds (an engine without counters, or the release switched off) nothing is asked.
    expect(new HealthCheck().observe(batch(1, { engineMemory: { activeBytes: 100 * GB } })).releaseCache).toBe(false);
  });
});
