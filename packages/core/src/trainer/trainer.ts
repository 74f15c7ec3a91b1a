/**
 * The RLAIF loop (DESIGN.md, "One training step, as data"). Read `reinforce` and the three steps it
 * calls — `generate`, `learnFrom`, `update` — top to bottom:
 *
 *   tasks ─► Generator.generate (n per task) ─► Teacher.reference + score ─► RewardFns
 *         ─► group advantages ─► Optimizer.step (KL to base) ─► metrics, dataset rows, checkpoints
 *
 * Scoring is network (or subprocess) time and generation is compute, so batch k+1 is generated while
 * batch k is scored: rollouts may be up to `offPolicyLag` optimiser updates old (logged).
 * Around it, each in its own file: the SFT warm-up (sft-warmup.ts), the baseline and held-out
 * evaluations (run-evaluations.ts), metrics and logs (step-recorder.ts) and checkpoints (run-checkpoint.ts).
 */
import type { GenerationResult } from '../contracts/generator.js';
import type { PolicyBatch, StepStats } from '../contracts/optimizer.js';
import { formatCheckpointName } from '../checkpoint/naming.js';
import { RlaifError, RunStoppedError } from '../errors/index.js';
import type { RunSummary } from '../observability/run-stats.js';
import type { ModelResults } from '../validation/model-results.js';
import { combineRewards } from '../rewards/combine.js';
import { groupAdvantages } from './advantages.js';
import { batchSeed } from './batch-seed.js';
import { epochMetrics, type BatchOutcome } from './batch-metrics.js';
import { rowsOf } from './dataset-rows.js';
import { checkpointRequest } from './run-checkpoint.js';
import { RunEvaluations } from './run-evaluations.js';
import { rewardInputs, scoreGroups, type ScoredBatch } from './scoring.js';
import { supervisedWarmup } from './sft-warmup.js';
import { closesUpdate } from './step-plan.js';
import { StepRecorder } from './step-recorder.js';
import type { TrainerDependencies } from './trainer-dependencies.js';
import { emptyEpochAccumulator, type TrainerState } from './trainer-state.js';

export type { BatchSource, TrainerDependencies, TrainerSettings } from './trainer-dependencies.js';

/** A batch that was generated (and whose scoring is under way). */
interface InFlight {
  readonly epoch: number;
  readonly index: number;
  readonly generation: GenerationResult;
  readonly generatedAtVersion: number;
  readonly scoring: Promise<ScoredBatch>;
}

export class Trainer {
  /** Batches consumed since the last update, pooled into the next one (gradient accumulation). */
  private pending: { readonly batch: PolicyBatch; readonly epoch: number; readonly index: number }[] = [];
  private readonly recorder: StepRecorder;
  private readonly evaluations: RunEvaluations;
  private lastSavedStep = -1;
  private lastCheckpoint: string | undefined;
  /** `checkpoint-sft-gs*` when this process saved it: the validation report's baseline. */
  private sftCheckpoint: string | undefined;

  constructor(
    private readonly deps: TrainerDependencies,
    private readonly state: TrainerState,
  ) {
    this.recorder = new StepRecorder(deps, state, deps.now ?? (() => performance.now() / 1000));
    this.evaluations = new RunEvaluations(deps, state, () => this.throwIfStopped());
  }

  /** Runs baseline, SFT warm-up and RL to the end; resolves to the end-of-run summary. */
  async run(): Promise<RunSummary> {
    const { settings, sinks, systemMetrics } = this.deps;
    const interval = (settings.systemMetricsIntervalSeconds ?? 0) * 1000;
    const timer = interval > 0 ? setInterval(() => void sinks.write(this.state.globalBatch, systemMetrics.sample()), interval) : undefined;
    timer?.unref();
    try {
      if (!this.state.baselineDone) {
        if (settings.baselineEvalBatches > 0) {
          const reward = await this.evaluations.baseline();
          this.state.baselineReward = Number.isFinite(reward) ? reward : null;
          this.recorder.setBaseline(this.state.baselineReward);
          this.deps.logger.info(`Baseline reward: ${fmt(reward)}${Number.isFinite(reward) ? '' : ' (nothing scored)'}`);
        }
        if (settings.evalBeforeTraining && this.deps.evalTasks.length > 0) await this.evaluations.heldOut('before');
        this.state.baselineDone = true;
      }
      if (!this.state.sftDone) await this.warmUp();
      if (this.state.epoch <= settings.plan.epochs) await this.reinforce();
      const summary = this.summary();
      await this.saveCheckpoint(formatCheckpointName({ kind: 'final', globalStep: this.state.globalStep }));
      return summary;
    } finally {
      clearInterval(timer);
    }
  }

  // ── Reinforcement learning: one step = generate → score → reward → advantages → update → record ──

  private async reinforce(): Promise<void> {
    const { settings, logger } = this.deps;
    const { plan } = settings;
    logger.info(`Starting RLAIF training: ${plan.epochs} epochs × ${plan.batchesPerEpoch} batches, ${plan.policyUpdates} updates`);
    this.recorder.startPace();
    const positions = this.remainingPositions();
    const queue: InFlight[] = [];
    let cursor = 0;
    try {
      while (cursor < positions.length || queue.length > 0) {
        // Generate ahead while earlier batches are being scored, at most `offPolicyLag` updates ahead.
        while (queue.length <= settings.offPolicyLag && cursor < positions.length && !this.deps.signal.aborted) {
          queue.push(await this.generate(positions[cursor++]!));
        }
        const flight = queue.shift();
        if (!flight) break;
        this.recorder.announceEpoch(flight.epoch);
        const outcome = await this.learnFrom(flight, await flight.scoring);
        const stats = closesUpdate(plan, flight.index) ? await this.update() : undefined;
        await this.recorder.record(outcome, stats ?? undefined);
        if (stats !== undefined) await this.maybeCheckpoint(flight.epoch, flight.index + 1);
        if (flight.index === plan.batchesPerEpoch - 1) await this.endEpoch(flight.epoch);
        this.throwIfStopped();
      }
    } catch (error) {
      for (const flight of queue) flight.scoring.catch(() => undefined);
      if (isStop(error)) await this.stopCleanly();
      throw error;
    }
  }

  /** Samples n completions per task and starts scoring them (awaited later, in `reinforce`). */
  private async generate({ epoch, index }: { epoch: number; index: number }): Promise<InFlight> {
    const { generator, settings, teacher, logger, signal, train } = this.deps;
    const tasks = train.batch(epoch, index);
    const generation = await generator.generate(tasks, settings.numSamplesPerPrompt, { ...settings.sampling, seed: batchSeed(settings.seed, epoch, index) });
    const scoring = scoreGroups(teacher, generation.groups, { concurrency: settings.teacherConcurrency, signal, logger });
    scoring.catch(() => undefined);
    return { epoch, index, generation, generatedAtVersion: this.deps.optimizer.version, scoring };
  }

  /** Rewards and group advantages of a scored batch; its trainable samples wait for the next update. */
  private async learnFrom(flight: InFlight, scored: ScoredBatch): Promise<BatchOutcome> {
    const { settings, estimator, optimizer } = this.deps;
    const step = this.state.globalBatch + 1;
    const inputs = rewardInputs(scored.groups);
    const customMetrics: Record<string, number[]> = {};
    const combined = await combineRewards(this.deps.rewards, inputs, { step, logMetric: (name, value) => (customMetrics[name] ??= []).push(value), warn: (message) => this.deps.logger.warn(message) });
    let offset = 0;
    const rewardsByGroup = scored.groups.map((group) => combined.rewards.slice(offset, (offset += group.rollouts.length)));
    const advantages = groupAdvantages(estimator, rewardsByGroup, scored.groups.map((g) => g.rollouts), { dropZeroVarianceGroups: settings.dropZeroVarianceGroups });
    const outcome: BatchOutcome = {
      epoch: flight.epoch,
      index: flight.index,
      step,
      generationTokens: flight.generation.completionTokens,
      generationSeconds: flight.generation.seconds,
      scored,
      inputs,
      rewards: combined.rewards,
      rewardsByFunction: combined.perFunction,
      customMetrics,
      advantages,
      offPolicyLag: optimizer.version - flight.generatedAtVersion,
    };
    this.recorder.countBatch(outcome);
    await this.deps.dataset.append('train', rowsOf(scored.groups, combined.rewards, advantages.advantagesByGroup, { epoch: flight.epoch, batch: flight.index + 1, step: this.state.globalStep }, combined.perFunction));
    this.state.globalBatch = step;
    this.pending.push({ batch: { rollouts: advantages.trainable.map((t) => t.rollout), advantages: advantages.trainable.map((t) => t.advantage) }, epoch: flight.epoch, index: flight.index });
    return outcome;
  }

  /** One optimiser update from the pending batches; null when no sample had a usable advantage. */
  private async update(): Promise<StepStats | null> {
    const { optimizer, logger } = this.deps;
    const consumed = this.pending;
    this.pending = [];
    const last = consumed.at(-1);
    if (!last) return null;
    const batches = consumed.map((c) => c.batch).filter((b) => b.rollouts.length > 0);
    const stats = batches.length ? await optimizer.step(batches) : null;
    if (stats === null) logger.warn(`batch e${last.epoch} b${last.index + 1}: no sample had a usable advantage; no update`);
    this.state.globalStep = optimizer.version;
    this.state.epoch = last.epoch;
    this.state.nextBatch = last.index + 1;
    if (stats) {
      const runStats = this.state.runStats;
      runStats.backpropTokens += stats.tokens;
      runStats.backpropSeconds += stats.seconds;
      runStats.skippedUpdates += stats.skippedUpdates ?? 0;
      if (stats.seconds > 0) runStats.backpropTokensPerSec.push(stats.tokens / stats.seconds);
      this.state.epochAccumulator.lossSum += stats.loss;
      this.state.epochAccumulator.lossCount++;
    }
    return stats;
  }

  private async endEpoch(epoch: number): Promise<void> {
    const { settings, evalTasks } = this.deps;
    const metrics = epochMetrics(this.state.epochAccumulator, this.state.previousEpoch);
    if (evalTasks.length > 0) {
      const evaluation = await this.evaluations.heldOut(`epoch-${epoch}`, epoch);
      metrics['Eval/AvgReward'] = evaluation.meanReward;
      if (evaluation.passRate !== null) metrics['Eval/PassRate'] = evaluation.passRate;
      if (this.state.baselineReward !== null) metrics['Eval/GainFromBaseline'] = evaluation.meanReward - this.state.baselineReward;
    }
    await this.recorder.recordEpoch(epoch, metrics);
    this.state.previousEpoch = { avgReward: metrics['Epoch/AvgReward']!, avgLoss: metrics['Epoch/AvgLoss']! };
    this.state.epochAccumulator = emptyEpochAccumulator();
    this.state.epoch = epoch + 1;
    this.state.nextBatch = 0;
    if (settings.saveEveryEpochs > 0 && epoch % settings.saveEveryEpochs === 0) {
      await this.saveCheckpoint(formatCheckpointName({ kind: 'epoch-end', epoch, globalStep: this.state.globalStep }));
    }
  }

  /** Every (epoch, batch) still to train, from the state's position to the last epoch. */
  private remainingPositions(): { epoch: number; index: number }[] {
    const { epochs, batchesPerEpoch } = this.deps.settings.plan;
    const out: { epoch: number; index: number }[] = [];
    for (let epoch = this.state.epoch; epoch <= epochs; epoch++) {
      for (let index = epoch === this.state.epoch ? this.state.nextBatch : 0; index < batchesPerEpoch; index++) out.push({ epoch, index });
    }
    return out;
  }

  /** The SFT warm-up (when enabled), its held-out evaluation and the `checkpoint-sft-gs*` it leaves. */
  private async warmUp(): Promise<void> {
    const { settings, train, teacher, optimizer, sinks, logger, signal } = this.deps;
    if (settings.sft.enabled) {
      const tasks = train.epochOrder(0);
      await supervisedWarmup({ sft: settings.sft, tasks, teacher, optimizer, sinks, runStats: this.state.runStats, logger, signal, throwIfStopped: () => this.throwIfStopped() });
      if (this.deps.evalTasks.length > 0) await this.evaluations.heldOut('sft');
      // Before the checkpoint, so `--resume` from it starts RL with the same optimiser state.
      if (settings.sft.carryOptimizerState === false) {
        optimizer.resetOptimizerState!();
        logger.info('SFT warm-up done: RL starts with a fresh optimiser (training.sft.carryOptimizerState: false)');
      }
    }
    this.state.sftDone = true;
    if (settings.sft.enabled) {
      // Global steps count every optimiser update, SFT's included (as the RL checkpoints after it do).
      this.state.globalStep = optimizer.version;
      // "SFT alone", kept by retention: `--resume` continues with RL, `rlaif validate` compares with it.
      await this.saveCheckpoint(formatCheckpointName({ kind: 'sft', globalStep: this.state.globalStep }));
      this.sftCheckpoint = this.lastCheckpoint;
    }
  }

  /**
   * The last held-out evaluation against the one after the SFT warm-up (what RL added), or before
   * training without a warm-up, when this process ran both: the run's validation report.
   */
  heldOutComparison(): { baseline: ModelResults; fineTuned: ModelResults; checkpoint: string | undefined; baselineCheckpoint: string | undefined } | undefined {
    const comparison = this.evaluations.comparison();
    if (!comparison) return undefined;
    const { baseline, fineTuned, baselinePhase } = comparison;
    return { baseline, fineTuned, checkpoint: this.lastCheckpoint, baselineCheckpoint: baselinePhase === 'sft' ? this.sftCheckpoint : undefined };
  }

  // ── Checkpoints and stopping ─────────────────────────────────────────────────────────────

  private async maybeCheckpoint(epoch: number, batch: number): Promise<void> {
    const { settings } = this.deps;
    const gs = this.state.globalStep;
    if (settings.saveEveryBatches > 0 && batch % settings.saveEveryBatches === 0) {
      await this.saveCheckpoint(formatCheckpointName({ kind: 'batch', epoch, batch, globalStep: gs }));
    } else if (settings.saveSteps > 0 && gs > 0 && gs % settings.saveSteps === 0 && this.lastSavedStep !== gs) {
      await this.saveCheckpoint(formatCheckpointName({ kind: 'steps', epoch, batch, globalStep: gs }));
    }
  }

  private async saveCheckpoint(name: string): Promise<void> {
    const { dataset, sinks, healthLog, optimizer, checkpoints, logger } = this.deps;
    await Promise.all([dataset.flush(), sinks.flush(), healthLog.flush()]);
    const priorSeconds = this.state.runStats.priorSeconds + this.recorder.elapsedHere();
    const saved = await checkpoints.save(
      checkpointRequest({
        name,
        state: { ...this.state, runStats: { ...this.state.runStats, priorSeconds } },
        summary: this.recorder.summary(),
        writeModelState: (target) => optimizer.save(target),
        appendOnlyFiles: { ...dataset.durableFiles(), ...sinks.durableFiles(), ...healthLog.durableFiles() },
      }),
    );
    this.lastSavedStep = this.state.globalStep;
    this.lastCheckpoint = saved.path;
    this.deps.progress?.clear();
    logger.info(`Saved checkpoint ${saved.path}`);
  }

  /** The end-of-run summary from the state so far. */
  summary(): RunSummary {
    return this.recorder.summary();
  }

  private throwIfStopped(): void {
    if (this.deps.signal.aborted) throw new RunStoppedError('training stopped on request', 'signal', { hint: 'resume with `rlaif run --resume latest`' });
  }

  /** Applies what was consumed, then saves a checkpoint, so no finished work is lost. */
  private async stopCleanly(): Promise<void> {
    if (this.pending.length) await this.update();
    await this.saveCheckpoint(formatCheckpointName({ kind: 'batch', epoch: this.state.epoch, batch: this.state.nextBatch, globalStep: this.state.globalStep }));
  }
}

function isStop(error: unknown): boolean {
  return RlaifError.isInstance(error) && error.code === 'RLAIF_STOPPED';
}

function fmt(value: number): string {
  return Number.isFinite(value) ? value.toFixed(4) : 'n/a';
}
