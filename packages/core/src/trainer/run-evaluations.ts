/**
 * The run's evaluations: the baseline reward on the first training batches, and the held-out
 * evaluations (before training, after SFT, after each epoch). All go through `evaluatePolicy` with
 * the seeds and chunks `rlaif validate` uses, so a checkpoint scores the same either way.
 */
import type { Task } from '../contracts/task.js';
import { recordTeacherUsage } from '../observability/run-stats.js';
import { evaluatePolicy } from '../validation/evaluate-policy.js';
import type { ModelResults } from '../validation/model-results.js';
import { rowsOf } from './dataset-rows.js';
import { rewardInputs } from './scoring.js';
import type { TrainerDependencies } from './trainer-dependencies.js';
import type { EvaluationRecord, TrainerState } from './trainer-state.js';

export type HeldOutPhase = 'before' | 'sft' | `epoch-${number}`;

export class RunEvaluations {
  /** Held-out results of this process: before training, after the SFT warm-up, and the latest. */
  private before: ModelResults | undefined;
  private afterSft: ModelResults | undefined;
  private latest: ModelResults | undefined;

  constructor(
    private readonly deps: TrainerDependencies,
    private readonly state: TrainerState,
    private readonly throwIfStopped: () => void,
  ) {}

  /** Mean reward on the first `baselineEvalBatches` training batches before any training; NaN if nothing scored. */
  async baseline(): Promise<number> {
    const { settings, train, logger, sinks } = this.deps;
    const batches = Math.min(settings.baselineEvalBatches, train.batchesPerEpoch);
    const tasks = Array.from({ length: batches }, (_, i) => train.batch(1, i)).flat();
    logger.info(`Measuring the baseline reward on ${tasks.length} tasks (${batches} batches) before training`);
    const { averageReward } = await this.evaluate(tasks, 'baseline', 0);
    await sinks.write(0, { 'Eval/BaselineReward': averageReward });
    return averageReward;
  }

  /** Scores the eval tasks, records the result for the summary's table and the sinks, logs it. */
  async heldOut(phase: HeldOutPhase, epoch = 0): Promise<EvaluationRecord> {
    const { logger, evalTasks, sinks } = this.deps;
    const results = await this.evaluate(evalTasks, epoch > 0 ? 'epoch' : (phase as 'before' | 'sft'), epoch);
    if (phase === 'before') this.before = results;
    if (phase === 'sft') this.afterSft = results;
    this.latest = results;
    const perTask = results.perTask.map(({ taskId, reward, passRate }) => ({ taskId, reward: Number.isFinite(reward) ? reward : null, passRate }));
    const record: EvaluationRecord = { phase, globalStep: this.deps.optimizer.version, meanReward: results.averageReward, passRate: results.passRate, samples: results.rewards.length, perTask };
    this.state.evaluations.push(record);
    this.deps.progress?.clear();
    const passRate = record.passRate === null ? '' : `, pass rate ${(100 * record.passRate).toFixed(1)}%`;
    logger.info(`Eval (${phase}) on ${evalTasks.length} tasks: mean reward ${Number.isFinite(record.meanReward) ? record.meanReward.toFixed(4) : 'n/a'}${passRate}`);
    // Epoch evaluations are logged with the epoch's metrics (Eval/AvgReward, Eval/PassRate).
    const prefix = phase === 'before' ? 'Eval/BeforeTraining' : phase === 'sft' ? 'Eval/AfterSFT' : undefined;
    if (prefix) {
      await sinks.write(this.state.globalBatch, { [`${prefix}_AvgReward`]: record.meanReward, ...(record.passRate === null ? {} : { [`${prefix}_PassRate`]: record.passRate }) });
    }
    return record;
  }

  /**
   * The latest held-out results against a baseline this process evaluated: after the SFT warm-up when
   * there was one (what RL added, task by task), else before training. Undefined when this process
   * evaluated no baseline, or nothing after it.
   */
  comparison(): { readonly baseline: ModelResults; readonly fineTuned: ModelResults; readonly baselinePhase: 'before' | 'sft' } | undefined {
    const [baseline, baselinePhase] = this.afterSft ? [this.afterSft, 'sft' as const] : [this.before, 'before' as const];
    if (!baseline || !this.latest || this.latest === baseline) return undefined;
    return { baseline, fineTuned: this.latest, baselinePhase };
  }

  /** Generates and scores `tasks` without training; rows go to the `validation` split. */
  private evaluate(tasks: readonly Task[], phase: 'baseline' | 'before' | 'sft' | 'epoch', epoch: number): Promise<ModelResults> {
    const { settings, generator, teacher, rewards, dataset, logger, signal } = this.deps;
    const runStats = this.state.runStats;
    return evaluatePolicy({
      generator,
      teacher,
      rewards,
      tasks,
      settings: settings.evaluation,
      signal,
      logger,
      step: this.state.globalBatch,
      throwIfStopped: this.throwIfStopped,
      onChunk: async ({ index, scored, rewards: chunkRewards, rewardsByFunction }) => {
        recordTeacherUsage(runStats, Math.max(1, epoch), scored.usage);
        runStats.scoringSeconds += scored.seconds;
        const inputs = rewardInputs(scored.groups);
        const unscored = inputs.filter((input) => input.score === null).length;
        runStats.samplesScored += inputs.length - unscored;
        runStats.samplesUnscored += unscored;
        const rows = rowsOf(scored.groups, chunkRewards, undefined, { epoch, batch: index + 1, step: this.state.globalStep }, rewardsByFunction);
        await dataset.append('validation', rows.map((row) => ({ ...row, phase })));
      },
    });
  }
}
