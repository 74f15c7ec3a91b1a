import { defineRewardFn } from './define-reward-fn.js';

/**
 * Share of the task's tests that passed, from an executing teacher; `null` (not applicable) when the
 * score carries no execution result.
 * @example rewards: [{ fn: 'pass_rate', weight: 0.5 }, { fn: 'ratio', weight: 0.5 }]
 */
export function passRateReward() {
  return defineRewardFn({
    name: 'pass_rate',
    compute: (batch) =>
      batch.map(({ score }) => {
        const execution = score?.execution;
        if (!execution || execution.testsTotal === 0) return null;
        return execution.testsPassed / execution.testsTotal;
      }),
  });
}
