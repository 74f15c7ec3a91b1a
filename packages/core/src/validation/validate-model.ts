/**
 * `rlaif validate`: the baseline model (the base weights, or an earlier checkpoint such as the SFT
 * warm-up's) against the fine-tuned checkpoint on the same tasks, the same sampling seeds and the same
 * teacher and rewards (the reference system's validation report).
 * The two models are loaded one after the other, so only one is in memory at a time.
 */
import type { Backend, BackendOptions } from '../contracts/backend.js';
import type { Task } from '../contracts/task.js';
import type { Teacher } from '../contracts/teacher.js';
import type { Logger } from '../observability/logger.js';
import type { WeightedRewardFn } from '../rewards/combine.js';
import type { ScoredGroup } from '../trainer/scoring.js';
import { evaluatePolicy, type EvaluationSettings } from './evaluate-policy.js';
import type { ModelResults } from './model-results.js';

export interface ValidationReport {
  readonly testCases: number;
  readonly samplesPerTask: number;
  readonly temperature: number;
  readonly checkpoint: string;
  /** The checkpoint the baseline was loaded from; null when the baseline is the base model itself. */
  readonly baselineCheckpoint: string | null;
  readonly baseline: Omit<ModelResults, 'groups' | 'rewards'>;
  readonly fineTuned: Omit<ModelResults, 'groups' | 'rewards'>;
  readonly averageImprovement: number;
  /** Improvement relative to the baseline's average reward, in percent; null when the baseline is 0. */
  readonly relativeImprovementPercent: number | null;
  readonly improved: number;
  readonly degraded: number;
  readonly equal: number;
  readonly examples: readonly {
    readonly taskId: string;
    readonly language: string;
    readonly prompt: string;
    readonly baselineReward: number;
    readonly fineTunedReward: number;
    readonly baselineCode: string;
    readonly fineTunedCode: string;
  }[];
}

export interface ValidateOptions {
  readonly backend: Backend;
  readonly backendOptions: BackendOptions;
  readonly checkpoint: string;
  /** Load the baseline from this checkpoint instead of using the base model (e.g. SFT alone vs SFT + RL). */
  readonly baselineCheckpoint?: string;
  readonly teacher: Teacher;
  readonly rewards: readonly WeightedRewardFn[];
  readonly tasks: readonly Task[];
  /** The run's evaluation settings (`evaluationSettings` of its config): the same seeds and chunks as its own evaluations. */
  readonly evaluation: EvaluationSettings;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly examples?: number;
  /** Called with each model's scored groups (`baseline` or `fine-tuned`), e.g. to record dataset rows. */
  readonly onScored?: (model: 'baseline' | 'fine-tuned', groups: readonly ScoredGroup[], rewards: readonly (number | null)[]) => Promise<void>;
}

/** Equal within this margin counts as `equal`. */
const EQUAL_MARGIN = 1e-9;

export async function validateModel(options: ValidateOptions): Promise<ValidationReport> {
  const baselineCheckpoint = options.baselineCheckpoint ?? null;
  options.logger.info(
    `Validating the baseline model${baselineCheckpoint ? ` from ${baselineCheckpoint}` : ''} on ${options.tasks.length} tasks × ${options.evaluation.samplesPerTask} samples`,
  );
  const baseline = await evaluateModel(options, baselineCheckpoint);
  await options.onScored?.('baseline', baseline.groups, baseline.rewards);
  options.logger.info(`Validating the fine-tuned model from ${options.checkpoint}`);
  const fineTuned = await evaluateModel(options, options.checkpoint);
  await options.onScored?.('fine-tuned', fineTuned.groups, fineTuned.rewards);
  return compareModels(baseline, fineTuned, {
    tasks: options.tasks,
    samplesPerTask: options.evaluation.samplesPerTask,
    temperature: options.evaluation.sampling.temperature,
    checkpoint: options.checkpoint,
    baselineCheckpoint,
    ...(options.examples === undefined ? {} : { examples: options.examples }),
  });
}

/** What a report says besides the two models' results. */
export interface ComparisonSettings {
  /** The tasks both models were scored on, in the order of their results' `perTask`. */
  readonly tasks: readonly Task[];
  readonly samplesPerTask: number;
  readonly temperature: number;
  readonly checkpoint: string;
  /** Where the baseline's weights came from: null (the default) for the base model. */
  readonly baselineCheckpoint?: string | null;
  /** Example comparisons to include, largest change first (default 3). */
  readonly examples?: number;
}

/**
 * The validation report of two models' results on the same tasks and sampling seeds: `rlaif validate`
 * computes both; `rlaif run` uses its held-out evaluations after the SFT warm-up (before training without one) and after training.
 */
export function compareModels(baseline: ModelResults, fineTuned: ModelResults, options: ComparisonSettings): ValidationReport {
  let improved = 0;
  let degraded = 0;
  let equal = 0;
  const comparisons = options.tasks.map((task, i) => {
    const before = baseline.perTask[i]!;
    const after = fineTuned.perTask[i]!;
    const delta = after.reward - before.reward;
    if (!Number.isFinite(delta) || Math.abs(delta) <= EQUAL_MARGIN) equal++;
    else if (delta > 0) improved++;
    else degraded++;
    return { task, before, after, delta: Number.isFinite(delta) ? delta : 0 };
  });
  const byChange = [...comparisons].sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta));
  const averageImprovement = fineTuned.averageReward - baseline.averageReward;
  const strip = ({ groups: _g, rewards: _r, ...rest }: ModelResults) => rest;
  return {
    testCases: options.tasks.length,
    samplesPerTask: options.samplesPerTask,
    temperature: options.temperature,
    checkpoint: options.checkpoint,
    baselineCheckpoint: options.baselineCheckpoint ?? null,
    baseline: strip(baseline),
    fineTuned: strip(fineTuned),
    averageImprovement,
    relativeImprovementPercent: baseline.averageReward > 0 ? (100 * averageImprovement) / baseline.averageReward : null,
    improved,
    degraded,
    equal,
    examples: byChange.slice(0, options.examples ?? 3).map(({ task, before, after }) => ({
      taskId: task.id,
      language: task.language,
      prompt: task.prompt,
      baselineReward: before.reward,
      fineTunedReward: after.reward,
      baselineCode: before.code,
      fineTunedCode: after.code,
    })),
  };
}

async function evaluateModel(options: ValidateOptions, checkpoint: string | null): Promise<ModelResults> {
  const policy = await options.backend.load(options.backendOptions);
  try {
    if (checkpoint) await policy.optimizer.load(checkpoint);
    const { teacher, rewards, tasks, evaluation, signal, logger } = options;
    return await evaluatePolicy({ generator: policy.generator, teacher, rewards, tasks, settings: evaluation, signal, logger });
  } finally {
    await policy.close();
  }
}

/** The report in the reference system's console layout. */
export function formatValidationReport(report: ValidationReport, printChars = 400): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : 'n/a');
  const rule = '='.repeat(80);
  const lines = [
    rule,
    report.baselineCheckpoint === null
      ? 'VALIDATION REPORT: Pre-Training (baseline model) vs Post-Training (fine-tuned model)'
      : 'VALIDATION REPORT: Baseline checkpoint vs Post-Training (fine-tuned model)',
    rule,
    '',
    `Test Cases: ${report.testCases} (${report.samplesPerTask} samples each, temperature ${report.temperature})`,
    ...(report.baselineCheckpoint === null ? [] : [`Baseline:   ${report.baselineCheckpoint}`]),
    `Checkpoint: ${report.checkpoint}`,
    '',
    'Average Reward Scores:',
    `  Baseline Model:    ${f(report.baseline.averageReward)}`,
    `  Fine-tuned Model:  ${f(report.fineTuned.averageReward)}`,
    `  Average Improvement: ${report.averageImprovement >= 0 ? '+' : ''}${f(report.averageImprovement)}` +
      (report.relativeImprovementPercent === null ? '' : ` (${report.relativeImprovementPercent >= 0 ? '+' : ''}${report.relativeImprovementPercent.toFixed(2)}%)`),
  ];
  if (report.baseline.passRate !== null || report.fineTuned.passRate !== null) {
    lines.push('', 'Pass Rate (all tests passed):', `  Baseline Model:    ${pct(report.baseline.passRate)}`, `  Fine-tuned Model:  ${pct(report.fineTuned.passRate)}`);
  }
  lines.push(
    '',
    'Improvement Distribution:',
    `  Improved:  ${report.improved} cases`,
    `  Degraded:  ${report.degraded} cases`,
    `  Equal:     ${report.equal} cases`,
    '',
    'Generation Throughput:',
    `  Baseline Model:    ${report.baseline.generationTokensPerSec.toFixed(2)} tokens/sec`,
    `  Fine-tuned Model:  ${report.fineTuned.generationTokensPerSec.toFixed(2)} tokens/sec`,
  );
  for (const example of report.examples) {
    lines.push(
      '',
      '-'.repeat(80),
      `Example ${example.taskId} (${example.language}): reward ${f(example.baselineReward)} → ${f(example.fineTunedReward)}`,
      `Prompt: ${example.prompt.slice(0, printChars)}`,
      '--- baseline ---',
      example.baselineCode.slice(0, printChars),
      '--- fine-tuned ---',
      example.fineTunedCode.slice(0, printChars),
    );
  }
  lines.push(rule);
  return lines.join('\n');
}

function pct(value: number | null): string {
  return value === null ? 'n/a' : `${(100 * value).toFixed(1)}%`;
}
