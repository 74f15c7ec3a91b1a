import type { TeacherUsage } from '../contracts/score.js';
import { ZERO_USAGE, addUsage } from '../contracts/score.js';
import { gainOverHalfWidth, heldOutIntervals, perTaskScores, type Estimate } from '../validation/held-out-intervals.js';
import { finiteMean, formatCount, formatDuration, quantile } from './stats.js';

/** Everything the end-of-run summary needs; JSON-serialisable so a resumed run continues it. */
export interface RunStatsState {
  /** Tokens/s of each generation call. */
  generationTokensPerSec: number[];
  generationTokens: number;
  generationSeconds: number;
  /** Tokens/s of each optimiser step. */
  backpropTokensPerSec: number[];
  backpropTokens: number;
  backpropSeconds: number;
  scoringSeconds: number;
  /** Teacher usage per epoch (1-based key). */
  teacherByEpoch: Record<string, TeacherUsage>;
  /** Seconds of training time before this process (resumed runs). */
  priorSeconds: number;
  samplesScored: number;
  samplesUnscored: number;
  /** Sum and count of the combined rewards of RL training samples (the run's average reward). */
  trainRewardSum: number;
  trainRewardCount: number;
  /** Gradient passes the optimizer skipped for a non-finite gradient (StepStats.skippedUpdates). */
  skippedUpdates: number;
}

export function emptyRunStats(): RunStatsState {
  return {
    generationTokensPerSec: [],
    generationTokens: 0,
    generationSeconds: 0,
    backpropTokensPerSec: [],
    backpropTokens: 0,
    backpropSeconds: 0,
    scoringSeconds: 0,
    teacherByEpoch: {},
    priorSeconds: 0,
    samplesScored: 0,
    samplesUnscored: 0,
    trainRewardSum: 0,
    trainRewardCount: 0,
    skippedUpdates: 0,
  };
}

/** The reference system's end-of-run summary, as data. */
export interface RunSummary {
  readonly generation: { averageTokensPerSec: number; p99TokensPerSec: number; samples: number; totalTokens: number };
  readonly backprop: { averageTokensPerSec: number; p99TokensPerSec: number; samples: number; totalTokens: number };
  readonly teacher: {
    totalTokensSent: number;
    totalTokensReceived: number;
    inputTokensPerSec: number;
    outputTokensPerSec: number;
    averagePerEpoch: number;
    byEpoch: Record<string, number>;
    requests: number;
    cacheHits: number;
    costUSD: number;
    samplesScored: number;
    samplesUnscored: number;
  };
  readonly durationSeconds: number;
  readonly baselineReward: number | null;
  readonly finalReward: number | null;
  /** Evaluations of the eval tasks: before training, after SFT, after each epoch. */
  readonly evaluations: readonly {
    readonly phase: string;
    readonly globalStep: number;
    readonly meanReward: number;
    readonly passRate: number | null;
    readonly samples: number;
    /** Per task, for intervals over tasks (absent in summaries of older runs). */
    readonly perTask?: readonly { readonly taskId: string; readonly reward: number | null; readonly passRate: number | null }[];
  }[];
}

export function recordTeacherUsage(stats: RunStatsState, epoch: number, usage: TeacherUsage): void {
  stats.teacherByEpoch[String(epoch)] = addUsage(stats.teacherByEpoch[String(epoch)] ?? ZERO_USAGE, usage);
}

export function summarise(
  stats: RunStatsState,
  durationSeconds: number,
  baselineReward: number | null,
  finalReward: number | null,
  evaluations: RunSummary['evaluations'] = [],
): RunSummary {
  const epochs = Object.entries(stats.teacherByEpoch);
  const teacherTotal = epochs.reduce((sum, [, usage]) => addUsage(sum, usage), ZERO_USAGE);
  const byEpoch = Object.fromEntries(epochs.map(([epoch, usage]) => [epoch, usage.inputTokens + usage.outputTokens]));
  const scoringSeconds = stats.scoringSeconds || Number.NaN;
  return {
    generation: {
      averageTokensPerSec: stats.generationSeconds > 0 ? stats.generationTokens / stats.generationSeconds : 0,
      p99TokensPerSec: orZero(quantile(stats.generationTokensPerSec, 0.99)),
      samples: stats.generationTokensPerSec.length,
      totalTokens: stats.generationTokens,
    },
    backprop: {
      averageTokensPerSec: stats.backpropSeconds > 0 ? stats.backpropTokens / stats.backpropSeconds : 0,
      p99TokensPerSec: orZero(quantile(stats.backpropTokensPerSec, 0.99)),
      samples: stats.backpropTokensPerSec.length,
      totalTokens: stats.backpropTokens,
    },
    teacher: {
      totalTokensSent: teacherTotal.inputTokens,
      totalTokensReceived: teacherTotal.outputTokens,
      inputTokensPerSec: orZero(teacherTotal.inputTokens / scoringSeconds),
      outputTokensPerSec: orZero(teacherTotal.outputTokens / scoringSeconds),
      averagePerEpoch: epochs.length ? (teacherTotal.inputTokens + teacherTotal.outputTokens) / epochs.length : 0,
      byEpoch,
      requests: teacherTotal.requests,
      cacheHits: teacherTotal.cacheHits,
      costUSD: teacherTotal.costUSD,
      samplesScored: stats.samplesScored,
      samplesUnscored: stats.samplesUnscored,
    },
    durationSeconds,
    baselineReward,
    finalReward,
    evaluations,
  };
}

function orZero(value: number): number {
  return Number.isFinite(value) ? value : 0;
}

/** The summary as console text, in the reference system's layout. */
export function formatSummary(summary: RunSummary): string {
  const n = (value: number) => value.toFixed(2);
  const lines = [
    '',
    '='.repeat(60),
    'Training Summary',
    '='.repeat(60),
    'Generation Performance:',
    `  Average: ${n(summary.generation.averageTokensPerSec)} tokens/sec`,
    `  P99:     ${n(summary.generation.p99TokensPerSec)} tokens/sec`,
    `  Samples:  ${summary.generation.samples}`,
    `  Total Tokens Generated: ${formatCount(summary.generation.totalTokens)}`,
    '',
    'Backpropagation Performance:',
    `  Average: ${n(summary.backprop.averageTokensPerSec)} tokens/sec`,
    `  P99:     ${n(summary.backprop.p99TokensPerSec)} tokens/sec`,
    `  Samples: ${summary.backprop.samples}`,
    `  Total Tokens Consumed: ${formatCount(summary.backprop.totalTokens)}`,
    '',
    'Teacher API Usage:',
    `  Total Tokens Sent: ${formatCount(summary.teacher.totalTokensSent)}`,
    `  Total Tokens Received: ${formatCount(summary.teacher.totalTokensReceived)}`,
    `  Input Tokens/sec: ${n(summary.teacher.inputTokensPerSec)}`,
    `  Output Tokens/sec: ${n(summary.teacher.outputTokensPerSec)}`,
    `  Average per Epoch: ${formatCount(summary.teacher.averagePerEpoch)}`,
    `  Requests: ${formatCount(summary.teacher.requests)} (cache hits: ${formatCount(summary.teacher.cacheHits)})`,
    `  Estimated Cost: $${summary.teacher.costUSD.toFixed(4)}`,
    `  Samples Scored: ${formatCount(summary.teacher.samplesScored)}, Unscored: ${formatCount(summary.teacher.samplesUnscored)}`,
    '  Breakdown by Epoch:',
    ...Object.entries(summary.teacher.byEpoch).map(([epoch, tokens]) => `    Epoch ${epoch}: ${formatCount(tokens)} tokens`),
    '',
    'Training Duration:',
    `  Total Time: ${formatDuration(summary.durationSeconds)} (${summary.durationSeconds.toFixed(1)} seconds)`,
  ];
  if (summary.baselineReward !== null) {
    lines.push('', 'Reward:', `  Baseline: ${summary.baselineReward.toFixed(4)}`);
    if (summary.finalReward !== null) {
      lines.push(`  Final:    ${summary.finalReward.toFixed(4)} (${signed(summary.finalReward - summary.baselineReward)} vs baseline)`);
    }
  }
  if (summary.evaluations.length > 0) lines.push('', ...heldOutLines(summary.evaluations));
  lines.push('='.repeat(60));
  return lines.join('\n');
}

/**
 * The held-out block: each evaluation with its 95 % bootstrap interval over tasks, then each later
 * evaluation's gain over the reference (after SFT, else before training), paired per task, and how
 * many half-widths of its own interval that gain is.
 */
function heldOutLines(evaluations: RunSummary['evaluations']): string[] {
  const { reference, rows } = heldOutIntervals(
    evaluations.map((e) => ({ phase: e.phase, meanReward: Number.isFinite(e.meanReward) ? e.meanReward : undefined, passRate: e.passRate ?? undefined, perTask: perTaskScores(e.perTask) })),
  );
  const show = (estimate: Estimate | undefined, percent: boolean, sign = false) => {
    if (!estimate) return 'n/a';
    const format = (value: number) => `${sign && value > 0 ? '+' : ''}${percent ? `${(100 * value).toFixed(1)}%` : value.toFixed(4)}`;
    return estimate.interval ? `${format(estimate.value)} [${format(estimate.interval.low)}, ${format(estimate.interval.high)}]` : format(estimate.value);
  };
  const lines = [
    'Held-out Evaluation (95% bootstrap intervals over tasks):',
    `  ${'phase'.padEnd(10)} ${'step'.padStart(6)} ${'reward'.padStart(26)} ${'pass rate'.padStart(24)} ${'samples'.padStart(8)}`,
  ];
  evaluations.forEach((e, i) => {
    lines.push(`  ${e.phase.padEnd(10)} ${String(e.globalStep).padStart(6)} ${show(rows[i]!.reward, false).padStart(26)} ${show(rows[i]!.passRate, true).padStart(24)} ${String(e.samples).padStart(8)}`);
  });
  evaluations.forEach((e, i) => {
    const { rewardGain, passRateGain } = rows[i]!;
    if (!rewardGain && !passRateGain) return;
    const times = (gain: Estimate | undefined) => {
      const ratio = gainOverHalfWidth(gain);
      return ratio === undefined ? '' : ` (${ratio.toFixed(1)}× its half-width)`;
    };
    const parts = [rewardGain && `reward ${show(rewardGain, false, true)}${times(rewardGain)}`, passRateGain && `pass rate ${show(passRateGain, true, true)}${times(passRateGain)}`];
    lines.push(`  Gain ${e.phase} vs ${reference}, paired per task: ${parts.filter(Boolean).join('; ')}`);
  });
  return lines;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(4)}`;
}

export { finiteMean };
