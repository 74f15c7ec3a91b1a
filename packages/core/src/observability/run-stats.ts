import type { TeacherUsage } from '../contracts/score.js';
import { ZERO_USAGE, addUsage } from '../contracts/score.js';
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
  if (summary.evaluations.length > 0) {
    lines.push('', 'Held-out Evaluation:', `  ${'phase'.padEnd(10)} ${'step'.padStart(6)} ${'reward'.padStart(8)} ${'pass rate'.padStart(10)} ${'samples'.padStart(8)}`);
    for (const e of summary.evaluations) {
      const pass = e.passRate === null ? 'n/a' : `${(100 * e.passRate).toFixed(1)}%`;
      lines.push(`  ${e.phase.padEnd(10)} ${String(e.globalStep).padStart(6)} ${(Number.isFinite(e.meanReward) ? e.meanReward.toFixed(4) : 'n/a').padStart(8)} ${pass.padStart(10)} ${String(e.samples).padStart(8)}`);
    }
  }
  lines.push('='.repeat(60));
  return lines.join('\n');
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(4)}`;
}

export { finiteMean };
