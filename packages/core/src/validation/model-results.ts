/** One model's per-task results on a set of tasks: what validation reports compare. */
import { finiteMean } from '../observability/stats.js';
import { passRate, rewardInputs, type ScoredGroup } from '../trainer/scoring.js';

/** One model's results on the validation tasks. */
export interface ModelResults {
  readonly averageReward: number;
  /** Share of samples that passed every test (executing teachers only), else null. */
  readonly passRate: number | null;
  readonly generationTokensPerSec: number;
  readonly completionTokens: number;
  readonly unscoredSamples: number;
  /** Per task: mean reward of its samples (NaN when none was scored) and the first sample's code. */
  readonly perTask: readonly { readonly taskId: string; readonly reward: number; readonly code: string; readonly passRate: number | null }[];
  /** Scored groups, for dataset rows. */
  readonly groups: readonly ScoredGroup[];
  readonly rewards: readonly (number | null)[];
}

/** One model's results from its scored groups, their combined rewards (flat, in order) and its generation time. */
export function modelResults(groups: readonly ScoredGroup[], rewards: readonly (number | null)[], completionTokens: number, generationSeconds: number): ModelResults {
  const inputs = rewardInputs(groups);
  let offset = 0;
  const perTask = groups.map((group) => {
    const taskRewards = rewards.slice(offset, offset + group.rollouts.length).filter((r): r is number => r !== null);
    offset += group.rollouts.length;
    return {
      taskId: group.rollouts[0]!.task.id,
      reward: finiteMean(taskRewards),
      code: group.rollouts[0]!.code,
      passRate: passRate(group.scores),
    };
  });
  const scores = inputs.map((i) => i.score);
  return {
    averageReward: finiteMean(rewards.filter((r): r is number => r !== null)),
    passRate: passRate(scores),
    generationTokensPerSec: generationSeconds > 0 ? completionTokens / generationSeconds : 0,
    completionTokens,
    unscoredSamples: scores.filter((s) => s === null).length,
    perTask,
    groups,
    rewards,
  };
}
