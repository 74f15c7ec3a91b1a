/**
 * The metrics of one RL batch, its update and its epoch, as pure functions of what the loop
 * measured. Names follow the reference system (`Train/*`, `Scoring/*`, `Performance/*`, `Epoch/*`).
 */
import type { StepStats } from '../contracts/optimizer.js';
import type { RewardInput } from '../contracts/reward-fn.js';
import { CRITERIA } from '../contracts/score.js';
import type { HealthInput } from '../observability/health-check.js';
import type { RunStatsState, RunSummary } from '../observability/run-stats.js';
import { finiteMean, finiteVariance } from '../observability/stats.js';
import type { GroupAdvantagesResult } from './advantages.js';
import { passRate, type ScoredBatch } from './scoring.js';
import type { EpochAccumulator } from './trainer-state.js';

/** Everything measured about one consumed RL batch, before its update. */
export interface BatchOutcome {
  readonly epoch: number;
  /** 0-based index of the batch within its epoch. */
  readonly index: number;
  /** The metric step: RL batches consumed so far, this one included. */
  readonly step: number;
  readonly generationTokens: number;
  readonly generationSeconds: number;
  readonly scored: ScoredBatch;
  readonly inputs: readonly RewardInput[];
  /** Combined reward of each input (same order); null = unscored or not applicable. */
  readonly rewards: readonly (number | null)[];
  /** Each reward function's own values (same order), by name. */
  readonly rewardsByFunction: Readonly<Record<string, readonly (number | null)[]>>;
  /** Values reward functions reported through `logMetric`, by name. */
  readonly customMetrics: Readonly<Record<string, readonly number[]>>;
  readonly advantages: GroupAdvantagesResult;
  /** Optimiser updates between the policy that generated the batch and the one it trains. */
  readonly offPolicyLag: number;
}

/** The rewards that count (scored and applicable). */
export function numericRewards(outcome: BatchOutcome): number[] {
  return outcome.rewards.filter((r): r is number => r !== null);
}

export function unscoredCount(outcome: BatchOutcome): number {
  return outcome.inputs.filter((input) => input.score === null).length;
}

function diversity(outcome: BatchOutcome): number {
  const rollouts = outcome.inputs.map((i) => i.rollout);
  return rollouts.length ? new Set(rollouts.map((r) => r.text)).size / rollouts.length : 0;
}

function fracZeroStd(outcome: BatchOutcome): number {
  const { zeroStdGroups, comparableGroups } = outcome.advantages;
  return comparableGroups ? zeroStdGroups / comparableGroups : Number.NaN;
}

function tokensPerSec(tokens: number, seconds: number): number {
  return seconds > 0 ? tokens / seconds : 0;
}

/** Rewards, scores, completions and throughput of a batch (the per-step scalars besides the update's). */
export function batchScalars(outcome: BatchOutcome, runStats: RunStatsState): Record<string, number> {
  const rewards = numericRewards(outcome);
  const rollouts = outcome.inputs.map((i) => i.rollout);
  const scores = outcome.inputs.map((i) => i.score).filter((s) => s !== null);
  const usage = Object.values(runStats.teacherByEpoch);
  const requests = usage.reduce((s, u) => s + u.requests + u.cacheHits, 0);
  const { scored } = outcome;
  const scalars: Record<string, number> = {
    'Train/AvgReward': finiteMean(rewards),
    'Train/RewardStd': Math.sqrt(finiteVariance(rewards)),
    'Train/RewardMin': rewards.length ? Math.min(...rewards) : Number.NaN,
    'Train/RewardMax': rewards.length ? Math.max(...rewards) : Number.NaN,
    'Train/RewardVariance': finiteVariance(rewards),
    'Train/FracRewardZeroStd': fracZeroStd(outcome),
    'Train/DroppedGroups': outcome.advantages.droppedGroups,
    'Train/UnscoredFraction': outcome.inputs.length ? unscoredCount(outcome) / outcome.inputs.length : 0,
    'Train/OffPolicyLag': outcome.offPolicyLag,
    'Train/Completions/ClippedRatio': rollouts.length ? rollouts.filter((r) => r.finishReason === 'length').length / rollouts.length : 0,
    'Train/Completions/MeanLength': finiteMean(rollouts.map((r) => r.completionTokens.length)),
    'Train/Completions/Diversity': diversity(outcome),
    'Scoring/TeacherScoreMean': finiteMean(scored.groups.map((g) => g.referenceScore?.overall ?? Number.NaN)),
    'Scoring/StudentScoreMean': finiteMean(scores.map((s) => s.overall)),
    'Performance/Generation_TokensPerSec': tokensPerSec(outcome.generationTokens, outcome.generationSeconds),
    'Performance/Generation_Time': outcome.generationSeconds,
    'Performance/Generation_TotalTokens_Cumulative': runStats.generationTokens,
    'Performance/Scoring_Time': scored.seconds,
    'Performance/Scoring_TotalTokens_Input_Cumulative': usage.reduce((s, u) => s + u.inputTokens, 0),
    'Performance/Scoring_TotalTokens_Output_Cumulative': usage.reduce((s, u) => s + u.outputTokens, 0),
    'Teacher/CostUSD': usage.reduce((s, u) => s + u.costUSD, 0),
    'Teacher/CacheHitRate': requests ? usage.reduce((s, u) => s + u.cacheHits, 0) / requests : 0,
  };
  for (const criterion of CRITERIA) {
    scalars[`Scoring/${criterion.charAt(0).toUpperCase()}${criterion.slice(1)}Mean`] = finiteMean(scores.map((s) => s.breakdown[criterion]));
  }
  const batchPassRate = passRate(scores);
  if (batchPassRate !== null) scalars['Scoring/PassRate'] = batchPassRate;
  for (const [name, values] of Object.entries(outcome.rewardsByFunction)) {
    const numbers = values.filter((v): v is number => v !== null);
    scalars[`Rewards/${name}/Mean`] = finiteMean(numbers);
    scalars[`Rewards/${name}/Std`] = Math.sqrt(finiteVariance(numbers));
  }
  for (const [name, values] of Object.entries(outcome.customMetrics)) scalars[`Rewards/Custom/${name}`] = finiteMean(values);
  return scalars;
}

/** The optimiser update's scalars, for the batch that closed it. */
export function updateScalars(stats: StepStats, klPenalty: number, globalStep: number, summary: RunSummary, runStats: RunStatsState): Record<string, number> {
  return {
    'Train/Loss': stats.loss,
    'Train/PolicyLoss': stats.policyLoss,
    'Train/KLPenalty': klPenalty * stats.kl,
    'Train/KL': stats.kl,
    'Train/Entropy': stats.entropy,
    'Train/ClipFraction': stats.clipFraction,
    'Train/GradNorm': stats.gradNorm,
    'Train/LearningRate': stats.learningRate,
    ...(stats.logprobMismatch
      ? {
          'Train/LogprobMismatch_Mean': stats.logprobMismatch.meanAbs,
          'Train/LogprobMismatch_Max': stats.logprobMismatch.maxAbs,
          'Train/ImportanceWeight_CappedFraction': stats.logprobMismatch.cappedFraction,
        }
      : {}),
    'Train/GlobalStep': globalStep,
    'Train/SkippedUpdates': stats.skippedUpdates ?? 0,
    'Train/SkippedUpdates_Cumulative': runStats.skippedUpdates,
    'Performance/Backprop_TokensPerSec': tokensPerSec(stats.tokens, stats.seconds),
    'Performance/Backprop_AvgTokensPerSec': summary.backprop.averageTokensPerSec,
    'Performance/Backprop_P99TokensPerSec': summary.backprop.p99TokensPerSec,
    'Performance/Training_TotalTokens_Cumulative': runStats.backpropTokens,
    'Performance/Generation_AvgTokensPerSec': summary.generation.averageTokensPerSec,
    'Performance/Generation_P99TokensPerSec': summary.generation.p99TokensPerSec,
  };
}

/**
 * The metrics of a `batches.jsonl` row: one row per batch; the update's figures are null on a batch
 * that only accumulated.
 */
export function batchSummaryMetrics(outcome: BatchOutcome, stats: StepStats | undefined, klPenalty: number, runStats: RunStatsState): Record<string, number | null> {
  const { usage } = outcome.scored;
  return {
    'Train/AvgReward': finiteMean(numericRewards(outcome)),
    'Train/Loss': stats?.loss ?? null,
    'Train/PolicyLoss': stats?.policyLoss ?? null,
    'Train/KL': stats?.kl ?? null,
    'Train/KLPenalty': stats ? klPenalty * stats.kl : null,
    'Train/Entropy': stats?.entropy ?? null,
    'Train/GradNorm': stats?.gradNorm ?? null,
    'Train/LearningRate': stats?.learningRate ?? null,
    'Train/FracRewardZeroStd': fracZeroStd(outcome),
    // With another engine sampling: how far its log-probs were from the trainer's (absent otherwise).
    ...(stats?.logprobMismatch
      ? {
          'Train/LogprobMismatch_Mean': stats.logprobMismatch.meanAbs,
          'Train/LogprobMismatch_Max': stats.logprobMismatch.maxAbs,
          'Train/ImportanceWeight_CappedFraction': stats.logprobMismatch.cappedFraction,
        }
      : {}),
    'Performance/Generation_TokensPerSec': tokensPerSec(outcome.generationTokens, outcome.generationSeconds),
    'Performance/Backprop_TokensPerSec': stats && stats.seconds > 0 ? stats.tokens / stats.seconds : null,
    'Performance/Scoring_Time': outcome.scored.seconds,
    'Teacher/InputTokens': usage.inputTokens,
    'Teacher/OutputTokens': usage.outputTokens,
    'Teacher/BatchCostUSD': usage.costUSD,
    'Teacher/CostUSD': Object.values(runStats.teacherByEpoch).reduce((sum, u) => sum + u.costUSD, 0),
    'System/Process_RSS_GB': process.memoryUsage.rss() / 1024 ** 3,
  };
}

/** What the health check sees of a batch (and of its update, when it closed one). */
export function healthInput(outcome: BatchOutcome, stats: StepStats | undefined): HealthInput {
  const kept = outcome.advantages.trainable.reduce((s, t) => s + t.rollout.completionTokens.length, 0);
  const zeroStd = fracZeroStd(outcome);
  return {
    epoch: outcome.epoch,
    batch: outcome.index + 1,
    step: outcome.step,
    rewardMean: finiteMean(numericRewards(outcome)),
    loss: stats?.loss ?? 0,
    kl: stats?.kl ?? 0,
    generationSeconds: outcome.generationSeconds,
    scoringSeconds: outcome.scored.seconds,
    trainingSeconds: stats?.seconds ?? 0,
    rawTokensPerSec: tokensPerSec(outcome.generationTokens, outcome.generationSeconds),
    keptTokensPerSec: tokensPerSec(kept, outcome.generationSeconds),
    diversity: diversity(outcome),
    fracZeroStdGroups: Number.isFinite(zeroStd) ? zeroStd : 0,
    skippedUpdates: stats?.skippedUpdates ?? 0,
  };
}

/** Adds a batch's rewards and samples to its epoch's running sums. */
export function accumulateBatch(accumulator: EpochAccumulator, outcome: BatchOutcome): void {
  for (const reward of numericRewards(outcome)) {
    accumulator.rewardSum += reward;
    accumulator.rewardSquares += reward * reward;
    accumulator.rewardCount++;
  }
  accumulator.apiTokens += outcome.scored.usage.inputTokens + outcome.scored.usage.outputTokens;
  accumulator.numSamples += outcome.inputs.length;
}

/** `Epoch/*` metrics from the epoch's running sums and the previous epoch's averages. */
export function epochMetrics(accumulator: EpochAccumulator, previous: { avgReward: number; avgLoss: number } | null): Record<string, number> {
  const avgReward = accumulator.rewardCount ? accumulator.rewardSum / accumulator.rewardCount : Number.NaN;
  const variance = accumulator.rewardCount ? accumulator.rewardSquares / accumulator.rewardCount - avgReward ** 2 : Number.NaN;
  const avgLoss = accumulator.lossCount ? accumulator.lossSum / accumulator.lossCount : Number.NaN;
  return {
    'Epoch/AvgReward': avgReward,
    'Epoch/AvgLoss': avgLoss,
    'Epoch/RewardVariance': Math.max(0, variance),
    'Epoch/RewardTrend': previous ? avgReward - previous.avgReward : 0,
    'Epoch/LossTrend': previous ? previous.avgLoss - avgLoss : 0,
    'Epoch/APITokens': accumulator.apiTokens,
    'Epoch/NumSamples': accumulator.numSamples,
  };
}
