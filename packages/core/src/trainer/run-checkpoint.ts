/**
 * What a run checkpoint records besides the model: the trainer state to resume from, the rolling
 * `training_stats.json` and the reference system's `checkpoint_summary.json` figures.
 */
import type { SaveCheckpointRequest } from '../checkpoint/checkpointer.js';
import type { RunSummary } from '../observability/run-stats.js';
import type { TrainerState } from './trainer-state.js';

/** Mean reward of every RL training sample so far; null before the first scored one. */
export function runAverageReward(state: TrainerState): number | null {
  const { trainRewardSum, trainRewardCount } = state.runStats;
  return trainRewardCount > 0 ? trainRewardSum / trainRewardCount : null;
}

export function checkpointRequest(options: {
  readonly name: string;
  /** The state to resume from, with this process's elapsed time already added. */
  readonly state: TrainerState;
  readonly summary: RunSummary;
  readonly writeModelState: (dir: string) => Promise<void>;
  readonly appendOnlyFiles: Readonly<Record<string, number>>;
}): SaveCheckpointRequest {
  const { state } = options;
  const epoch = state.epochAccumulator;
  return {
    name: options.name,
    epoch: state.epoch,
    batch: state.nextBatch,
    globalStep: state.globalStep,
    trainerState: state,
    trainingStats: {
      global_step: state.globalStep,
      batches_trained: state.globalBatch,
      epoch: state.epoch,
      epoch_avg_reward_so_far: epoch.rewardCount ? epoch.rewardSum / epoch.rewardCount : null,
      epoch_avg_loss_so_far: epoch.lossCount ? epoch.lossSum / epoch.lossCount : null,
      summary: options.summary,
    },
    summary: {
      baselineReward: state.baselineReward,
      averageReward: runAverageReward(state),
      extra: { last_batch_reward: state.lastReward, batches_trained: state.globalBatch, samples_scored: state.runStats.samplesScored },
    },
    writeModelState: options.writeModelState,
    appendOnlyFiles: options.appendOnlyFiles,
  };
}
