/**
 * rlaif-reward-brevity: an example third-party reward plugin. It rewards completions that are not
 * much longer than the reference solution, discouraging padding that a judge might not punish.
 *
 * Use from a TypeScript config:  rewards: [{ fn: brevity({ maxRatio: 2 }), weight: 0.2 }]
 * Use from a JSON config:        "rewards": [{ "fn": { "use": "rlaif-reward-brevity", "maxRatio": 2 }, "weight": 0.2 }]
 */
import { defineRewardFn } from '@rlaif/core';

export interface BrevityOptions {
  /** Completions up to this many times the reference length get full reward. Default 1.5. */
  readonly maxRatio?: number;
}

/** 1 while the code is at most `maxRatio` × the reference's length, falling as 1/ratio beyond. */
export default function brevity(options: BrevityOptions = {}) {
  const maxRatio = options.maxRatio ?? 1.5;
  return defineRewardFn({
    name: 'brevity',
    compute: (batch, { logMetric }) =>
      batch.map(({ rollout, reference }) => {
        const referenceLength = reference?.code.trim().length ?? 0;
        if (referenceLength === 0) return null;
        const ratio = rollout.code.trim().length / referenceLength;
        logMetric('length_ratio', ratio);
        return ratio <= maxRatio ? 1 : maxRatio / ratio;
      }),
  });
}
