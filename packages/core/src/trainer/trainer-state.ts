import { emptyRunStats, type RunStatsState } from '../observability/run-stats.js';

/** Running sums for one epoch's `Epoch/*` metrics. */
export interface EpochAccumulator {
  rewardSum: number;
  rewardSquares: number;
  rewardCount: number;
  lossSum: number;
  lossCount: number;
  apiTokens: number;
  numSamples: number;
}

/** One evaluation of the eval tasks, a row of the summary's before/after table. */
export interface EvaluationRecord {
  /** `before` (no training), `sft` (after the warm-up), `epoch-<n>` (after an RL epoch). */
  readonly phase: string;
  readonly globalStep: number;
  readonly meanReward: number;
  /** Share of samples that passed all their tests; null without an executing teacher. */
  readonly passRate: number | null;
  readonly samples: number;
  /** Each task's mean reward (NaN, stored as null, when nothing was scored) and pass rate: what intervals over tasks need. */
  readonly perTask?: readonly TaskEvaluation[];
}

/** One task's result in one evaluation. */
export interface TaskEvaluation {
  readonly taskId: string;
  readonly reward: number | null;
  readonly passRate: number | null;
}

/**
 * Everything the loop needs to continue exactly where a checkpoint left it. JSON-serialisable;
 * saved as `trainer_state.json` in each checkpoint.
 */
export interface TrainerState {
  readonly formatVersion: 1;
  /** 1-based epoch the next batch belongs to. */
  epoch: number;
  /** 0-based index, within `epoch`, of the next batch to train on. */
  nextBatch: number;
  /** Optimiser updates so far (the `gs` of checkpoint names). */
  globalStep: number;
  /** Training batches consumed so far: the metric step. */
  globalBatch: number;
  /** Whether the pre-training baseline was measured. */
  baselineDone: boolean;
  /** Whether the SFT warm-up ran. */
  sftDone: boolean;
  baselineReward: number | null;
  /** Last epoch's mean reward and loss, for `Epoch/RewardTrend` and `Epoch/LossTrend`. */
  previousEpoch: { avgReward: number; avgLoss: number } | null;
  epochAccumulator: EpochAccumulator;
  /** Mean reward of the most recent batch (for the summary). */
  lastReward: number | null;
  runStats: RunStatsState;
  /** Consecutive batches in which every sample came back unscored. */
  unscoredStreak: number;
  /** Evaluations of the eval tasks so far, in order. */
  evaluations: EvaluationRecord[];
}

export function emptyEpochAccumulator(): EpochAccumulator {
  return { rewardSum: 0, rewardSquares: 0, rewardCount: 0, lossSum: 0, lossCount: 0, apiTokens: 0, numSamples: 0 };
}

export function initialTrainerState(): TrainerState {
  return {
    formatVersion: 1,
    epoch: 1,
    nextBatch: 0,
    globalStep: 0,
    globalBatch: 0,
    baselineDone: false,
    sftDone: false,
    baselineReward: null,
    previousEpoch: null,
    epochAccumulator: emptyEpochAccumulator(),
    lastReward: null,
    runStats: emptyRunStats(),
    unscoredStreak: 0,
    evaluations: [],
  };
}
