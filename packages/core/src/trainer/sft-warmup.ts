/**
 * The SFT warm-up before RL: supervised steps on reference solutions (the task's own, or the
 * teacher's: distillation), so the student's first samples have the right shape.
 */
import type { Optimizer, SupervisedExample } from '../contracts/optimizer.js';
import type { Task } from '../contracts/task.js';
import type { Teacher } from '../contracts/teacher.js';
import { RlaifError } from '../errors/index.js';
import { learningRateAt } from './learning-rate.js';
import type { Logger } from '../observability/logger.js';
import type { RunStatsState } from '../observability/run-stats.js';
import type { SinkFanout } from './sink-fanout.js';

export interface SftSettings {
  readonly epochs: number;
  readonly batchSize: number;
  /** Peak learning rate of the warm-up's steps. */
  readonly learningRate: number;
  /** After `warmupSteps` of linear ramp: constant, or linear / cosine decay to 0 over the warm-up's remaining steps. */
  readonly schedule: 'constant' | 'linear' | 'cosine';
  readonly warmupSteps: number;
  /** Use at most this many tasks (in the first epoch's order). */
  readonly maxExamples?: number;
  /** RL continues with the warm-up's optimiser state; false = `Optimizer.resetOptimizerState()` after it. */
  readonly carryOptimizerState: boolean;
}

/** Supervised steps of the warm-up over `examples` examples: the length of its learning-rate schedule. */
export function sftStepCount(sft: Pick<SftSettings, 'epochs' | 'batchSize'>, examples: number): number {
  return sft.epochs * Math.ceil(examples / sft.batchSize);
}

/** The SFT target for a task: the reference as a fenced block in the task's language. */
export function sftCompletion(task: Task, code: string): string {
  const fence = task.language === 'cpp' ? 'cpp' : task.language;
  return `\`\`\`${fence}\n${code.trimEnd()}\n\`\`\``;
}

export async function supervisedWarmup(options: {
  readonly sft: SftSettings;
  readonly tasks: readonly Task[];
  readonly teacher: Teacher;
  readonly optimizer: Optimizer;
  readonly sinks: SinkFanout;
  readonly runStats: RunStatsState;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  /** Throws to stop between steps (Ctrl-C). */
  readonly throwIfStopped: () => void;
}): Promise<void> {
  const { sft, teacher, optimizer, logger, signal } = options;
  const tasks = sft.maxExamples ? options.tasks.slice(0, sft.maxExamples) : options.tasks;
  const examples: SupervisedExample[] = [];
  for (const task of tasks) {
    const reference = await teacher.reference(task, { signal });
    if (reference?.code.trim()) examples.push({ task, completion: sftCompletion(task, reference.code) });
  }
  if (examples.length === 0) {
    throw new RlaifError('SFT warm-up has no examples: no task has a reference and the teacher wrote none', {
      hint: 'add `reference` solutions to the training data, use a teacher that writes references, or set training.sft.enabled: false',
    });
  }
  const batchSize = sft.batchSize;
  // The schedule spans the warm-up's own steps; RL's schedule starts afresh after it.
  const schedule = { learningRate: sft.learningRate, schedule: sft.schedule, warmupSteps: sft.warmupSteps, totalSteps: sftStepCount(sft, examples.length) };
  const shape = sft.schedule === 'constant' && sft.warmupSteps === 0 ? '' : `, learning rate ${sft.schedule} from ${sft.learningRate}${sft.warmupSteps > 0 ? ` after ${sft.warmupSteps} warm-up steps` : ''}`;
  logger.info(`SFT warm-up: ${examples.length} examples × ${sft.epochs} epochs, batch ${batchSize}${shape}`);
  let step = 0;
  for (let epoch = 1; epoch <= sft.epochs; epoch++) {
    for (let start = 0; start < examples.length; start += batchSize) {
      options.throwIfStopped();
      const stats = await optimizer.supervisedStep([examples.slice(start, start + batchSize)], learningRateAt(schedule, step));
      step++;
      options.runStats.backpropTokens += stats.tokens;
      options.runStats.backpropSeconds += stats.seconds;
      const metrics = {
        'SFT/Loss': stats.loss,
        'SFT/GradNorm': stats.gradNorm,
        'SFT/LearningRate': stats.learningRate,
        'SFT/TokensPerSec': stats.tokens / Math.max(stats.seconds, 1e-9),
      };
      await options.sinks.write(step, metrics);
      // Also a summary row (`sft.jsonl`), so the report can draw the warm-up's loss curve.
      await options.sinks.writeSummary({ kind: 'sft', epoch, step, timestamp: new Date().toISOString(), metrics });
      if (step % 10 === 0 || start + batchSize >= examples.length) logger.info(`SFT epoch ${epoch} step ${step}: loss ${stats.loss.toFixed(4)}`);
    }
  }
}
