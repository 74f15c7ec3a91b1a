/**
 * The second half of `rlaif run`: opens the run directory (or resumes one), sets the plugins up,
 * loads the student through the backend, runs the Trainer and writes the summary.
 * The DI container lives here and nowhere else: one child container per run.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { CheckpointManager } from '../checkpoint/checkpointer.js';
import { evaluationSettings, toLoraSpec, toModelSpec, toOptimizationSpec, toSamplingParams } from '../config/specs.js';
import type { PluginContext } from '../contracts/plugin.js';
import type { Backend } from '../contracts/backend.js';
import type { MetricsSink } from '../contracts/metrics-sink.js';
import type { Teacher } from '../contracts/teacher.js';
import { PromptSource } from '../data/prompt-source.js';
import { writeRunReport } from '../report/write-report.js';
import { DatasetRecorder, datasetFilesIn } from '../dataset/recorder.js';
import { CheckpointError, ConfigError } from '../errors/index.js';
import { AppendOnlyFile } from '../io/append-only-file.js';
import { writeJsonAtomic } from '../io/atomic-write.js';
import { compareModels, formatValidationReport } from '../validation/validate-model.js';
import { ADVANTAGE_ESTIMATORS } from '../algorithms/index.js';
import { consoleSink } from '../observability/console-sink.js';
import type { Logger } from '../observability/logger.js';
import { Progress } from '../observability/progress.js';
import { emptyRunStats, formatSummary, type RunSummary } from '../observability/run-stats.js';
import { formatLoadReport, memorySnapshot } from '../observability/load-report.js';
import { SystemMetrics } from '../observability/system-metrics.js';
import { createRunContainer, registerDefault, TOKENS, type Clock, type RunParts } from '../plugins/container.js';
import type { Generator } from '../contracts/generator.js';
import type { Optimizer } from '../contracts/optimizer.js';
import type { WeightedRewardFn } from '../rewards/combine.js';
import { SinkFanout } from '../trainer/sink-fanout.js';
import { Trainer, type TrainerSettings } from '../trainer/trainer.js';
import { initialTrainerState, type TrainerState } from '../trainer/trainer-state.js';
import type { PreparedRun } from './prepare-run.js';
import { followPolicy } from './follow-policy.js';
import { redactSecrets } from './redact.js';
import { pathExists } from '../io/path-exists.js';
import { datasetCardInfoOf } from '../hub/dataset-card-info.js';
import { readRunFacts } from '../hub/run-facts.js';
import { RunPublisher, type RunPublisherOptions } from '../hub/run-publisher.js';

/** Run-relative path of the health-check history. */
export const HEALTH_LOG_FILE = 'logs/health.jsonl';

export interface RunTrainingOptions {
  readonly prepared: PreparedRun;
  readonly logger: Logger;
  /** `--resume`: a checkpoint path or `latest`. */
  readonly resume?: string | undefined;
  /** `--overwrite`: a fresh run may delete a previous run's outputs in the same directory. */
  readonly overwrite?: boolean;
  readonly signal: AbortSignal;
  /** Where the progress bar and console statistics go. */
  readonly stream: NodeJS.WritableStream;
  /** Parts to use instead of the config's (added to those given to `prepareRun`); see RunParts. */
  readonly parts?: Partial<RunParts>;
  /** Environment for hub uploads (HF_TOKEN, HF_ENDPOINT); default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Retry waits of hub uploads (tests shorten them). */
  readonly hubRetry?: RunPublisherOptions['retry'];
}

export async function runTraining(options: RunTrainingOptions): Promise<RunSummary> {
  const { prepared, signal } = options;
  const { config, plugins } = prepared;
  const runDir = config.training.outputDir;
  await mkdir(runDir, { recursive: true });

  // The run's parts: what the caller supplied, else what the config resolved to (generator and
  // optimizer once the backend has loaded the policy).
  const container = createRunContainer({ ...plugins, config, logger: options.logger }, { ...prepared.parts, ...options.parts });
  const logger = container.resolve<Logger>(TOKENS.Logger);
  const backend = container.resolve<Backend>(TOKENS.Backend);
  const teacher = container.resolve<Teacher>(TOKENS.Teacher);
  const rewards = container.resolve<readonly WeightedRewardFn[]>(TOKENS.RewardFns);
  const userSinks = container.resolve<readonly MetricsSink[]>(TOKENS.MetricsSinks);
  const clock = container.resolve<Clock>(TOKENS.Clock);

  // Hub uploads (huggingface.*): repositories are created now, so a refused token stops the run before any compute.
  const publisher = await RunPublisher.start({ config, env: options.env ?? process.env, logger, signal, ...(options.hubRetry ? { retry: options.hubRetry } : {}) });
  // Resume: cut every append-only file back to the checkpoint before anything opens them.
  const checkpoints = new CheckpointManager(runDir, {
    saveTotalLimit: config.training.saveTotalLimit,
    ...(publisher ? { onSaved: (entry) => publisher.onCheckpoint(entry, runDir) } : {}),
  });
  let state: TrainerState = initialTrainerState();
  let resumeFrom: string | undefined;
  if (!options.resume) await clearPreviousRun(runDir, options.overwrite ?? false, logger, config.training.datasetsDir);
  if (options.resume) {
    const loaded = await checkpoints.load(options.resume);
    for (const skipped of loaded.skipped) logger.warn(`Resume: passed over ${skipped.name}, which does not verify: ${skipped.reason}`);
    const restored = parseTrainerState(loaded.trainerState, loaded.path);
    const preparation = await checkpoints.prepareResume(loaded.manifest, { knownAppendOnlyFiles: [...datasetFilesIn(config.training.datasetsDir), HEALTH_LOG_FILE] });
    for (const cut of preparation.truncated) logger.info(`Resume: truncated ${cut.path} from ${cut.fromBytes} to ${cut.toBytes} bytes`);
    state = restored;
    resumeFrom = loaded.path;
    logger.info(`Resuming from ${loaded.name}: epoch ${state.epoch}, next batch ${state.nextBatch + 1}, global step ${state.globalStep}`);
  }

  const cacheDir = path.join(runDir, '.cache');
  const context: PluginContext = { runDir, cacheDir, logger, seed: config.training.seed, signal };
  const dataset = await DatasetRecorder.open(runDir, { dir: config.training.datasetsDir });
  const healthFile = await AppendOnlyFile.open(path.join(runDir, HEALTH_LOG_FILE));
  const sinks = new SinkFanout([consoleSink({ everySteps: 1, stream: options.stream }), ...userSinks], logger);
  const closers: (() => Promise<unknown>)[] = [];
  try {
    for (const sink of userSinks) {
      await sink.setup?.(context);
      closers.push(async () => sink.close?.());
    }
    await teacher.setup?.(context);
    closers.push(async () => teacher.close?.());

    await writeJsonAtomic(path.join(runDir, 'run.json'), {
      startedAt: new Date().toISOString(),
      resumedFrom: resumeFrom ?? null,
      configFile: prepared.loaded.file ?? null,
      plan: prepared.plan,
      teacher: teacher.name,
      rewards: rewards.map((reward) => `${reward.fn.name}×${reward.weight}`).join(' + '),
      config: redactSecrets(config),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    });

    const source = new PromptSource(prepared.trainTasks, {
      batchSize: config.training.batchSize,
      shuffle: config.data.shuffle,
      seed: config.training.seed,
      ...(config.training.maxBatchesPerEpoch === undefined ? {} : { maxBatchesPerEpoch: config.training.maxBatchesPerEpoch }),
    });
    logger.info(`Loading base model: ${config.model.name}`);
    const memoryBefore = memorySnapshot();
    const loadStarted = clock.now();
    const policy = await backend.load({
      model: toModelSpec(config),
      lora: toLoraSpec(config),
      optimization: toOptimizationSpec(config, prepared.plan.optimizerSteps),
      context,
    });
    closers.unshift(() => policy.close());
    // The config's `generator` (another engine) when set, else the backend's own.
    registerDefault(container, TOKENS.Generator, plugins.generator ?? policy.generator);
    registerDefault(container, TOKENS.Optimizer, policy.optimizer);
    const sampler = container.resolve<Generator>(TOKENS.Generator);
    const optimizer = container.resolve<Optimizer>(TOKENS.Optimizer);
    logger.info(formatLoadReport(policy.info, clock.now() - loadStarted, memoryBefore, memorySnapshot(), policy.memory?.sample()));
    logger.info(`Teacher: ${teacher.name}`);
    await sampler.setup?.(context);
    await optimizer.setup?.(context);
    if (config.training.sft.enabled && !config.training.sft.carryOptimizerState && !optimizer.resetOptimizerState) {
      throw new ConfigError(`the optimizer of ${backend.name} cannot reset its state, which carryOptimizerState: false needs`, 'training.sft.carryOptimizerState', undefined, {
        hint: 'remove training.sft.carryOptimizerState (RL then continues with the warm-up\'s optimiser state), or use a backend whose optimizer has resetOptimizerState (@rlaif/backend-mlx, @rlaif/backend-tfjs)',
      });
    }
    if (resumeFrom) await optimizer.load(resumeFrom);
    let generator = sampler;
    if (sampler !== policy.generator && (plugins.generator !== undefined || sampler.syncPolicy)) {
      logger.info(`Generator: ${sampler.name} (follows the optimizer's policy through syncPolicy)`);
      generator = await followPolicy(sampler, { policy, optimizer, backend, spec: { model: toModelSpec(config), lora: toLoraSpec(config) }, runDir, logger });
      closers.unshift(() => generator.close?.() ?? Promise.resolve());
    }

    const { seed: _seed, ...sampling } = toSamplingParams(config);
    const trainerSettings: TrainerSettings = {
      plan: prepared.plan.steps,
      seed: config.training.seed,
      numSamplesPerPrompt: config.rlaif.numSamplesPerPrompt,
      evaluation: evaluationSettings(config, prepared.trainTasks.length),
      sampling,
      klPenalty: config.rlaif.klPenalty,
      offPolicyLag: config.rlaif.offPolicyLag,
      teacherConcurrency: config.rlaif.teacherConcurrency,
      dropZeroVarianceGroups: config.rlaif.dropZeroVarianceGroups,
      baselineEvalBatches: config.logging.baselineEvalBatches,
      evalBeforeTraining: config.logging.evalBeforeTraining,
      saveSteps: config.training.saveSteps,
      saveEveryEpochs: config.training.saveEveryEpochs,
      saveEveryBatches: config.training.saveEveryBatches,
      healthCheck: config.logging.healthCheck,
      sampleTextEverySteps: config.logging.sampleTextEverySteps,
      systemMetricsIntervalSeconds: config.logging.systemMetricsIntervalSeconds,
      sft: config.training.sft,
    };
    const trainer = new Trainer(
      {
        settings: trainerSettings,
        generator,
        optimizer,
        teacher,
        rewards,
        estimator: ADVANTAGE_ESTIMATORS[config.rlaif.advantage],
        train: source,
        evalTasks: prepared.evalTasks,
        sinks,
        dataset,
        checkpoints,
        healthLog: {
          append: (record) => healthFile.append(`${JSON.stringify(record)}\n`),
          flush: async () => void (await healthFile.flush()),
          durableFiles: () => ({ [HEALTH_LOG_FILE]: healthFile.byteLength }),
        },
        logger,
        systemMetrics: new SystemMetrics({ engineMemory: policy.memory, gpuUtilizationMode: config.logging.gpuUtilizationMode, warn: (message) => logger.warn(message) }),
        engineMemory: policy.memory,
        progress: new Progress(options.stream, config.logging.progress),
        signal,
        now: () => clock.now(),
      },
      state,
    );
    try {
      const summary = await trainer.run();
      options.stream.write(`${formatSummary(summary)}\n`);
      await writeJsonAtomic(path.join(runDir, 'summary.json'), summary);
      const comparison = trainer.heldOutComparison();
      if (comparison) {
        // The same report as `rlaif validate` (with --baseline-checkpoint checkpoint-sft-gs* after a
        // warm-up), from the evaluations this run already made.
        const report = compareModels(comparison.baseline, comparison.fineTuned, {
          tasks: prepared.evalTasks,
          samplesPerTask: trainerSettings.evaluation.samplesPerTask,
          temperature: trainerSettings.evaluation.sampling.temperature,
          checkpoint: comparison.checkpoint ?? runDir,
          ...(comparison.baselineCheckpoint === undefined ? {} : { baselineCheckpoint: comparison.baselineCheckpoint }),
        });
        await writeJsonAtomic(path.join(runDir, 'validation_report.json'), report);
        options.stream.write(`${formatValidationReport(report)}\n`);
      }
      // After the final checkpoint; a failed upload is logged with how to retry, the run still succeeds.
      await dataset.flush();
      await publisher?.finish(runDir, backend);
      return summary;
    } catch (error) {
      const summary = trainer.summary();
      await writeJsonAtomic(path.join(runDir, 'summary.json'), { ...summary, stopped: (error as Error).message });
      throw error;
    }
  } finally {
    await sinks.flush().catch(() => undefined);
    await dataset.flush().catch(() => undefined);
    await readRunFacts(runDir)
      .then((facts) => dataset.writeCard(datasetCardInfoOf(facts)))
      .catch((error: unknown) => logger.warn(`could not write the dataset card: ${(error as Error).message}`));
    await dataset.close().catch(() => undefined);
    await healthFile.close().catch(() => undefined);
    for (const close of closers) await close().catch((error: unknown) => logger.warn(`closing a plugin failed: ${(error as Error).message}`));
    // Every run leaves its HTML report, finished or stopped; `rlaif report` rewrites it any time.
    await writeRunReport(runDir)
      .then((report) => logger.info(`Report: ${report.path}`))
      .catch((error: unknown) => logger.warn(`could not write the HTML report: ${(error as Error).message}`));
  }
}

/** What a previous run leaves in its output directory. */
const RUN_OUTPUTS = [
  'run.json',
  'summary.json',
  'validation_report.json',
  'report.html',
  'checkpoints',
  'datasets',
  'logs/json_summaries',
  'logs/tensorboard',
  HEALTH_LOG_FILE,
];

/**
 * A fresh run never appends to a previous run's files: it stops with advice, or with `--overwrite`
 * removes those outputs first (other files, and the appended-to `logs/rlaif.log`, are left alone).
 */
async function clearPreviousRun(runDir: string, overwrite: boolean, logger: Logger, datasetsDir: string): Promise<void> {
  const present = [];
  for (const name of new Set([...RUN_OUTPUTS, datasetsDir])) {
    if (await pathExists(path.join(runDir, name))) present.push(name);
  }
  if (present.length === 0) return;
  if (!overwrite) {
    throw new ConfigError(`the output directory already holds a run (${present.join(', ')})`, 'training.outputDir', undefined, {
      hint: `continue it with \`--resume latest\`, start over with \`--overwrite\`, or pick another --output-dir (${runDir})`,
    });
  }
  logger.warn(`--overwrite: removing the previous run's ${present.join(', ')} from ${runDir}`);
  for (const name of present) await rm(path.join(runDir, name), { recursive: true, force: true });
}


function parseTrainerState(value: unknown, checkpoint: string): TrainerState {
  const state = value as Partial<TrainerState> | null;
  if (!state || state.formatVersion !== 1 || typeof state.globalStep !== 'number' || typeof state.epoch !== 'number') {
    throw new CheckpointError('trainer_state.json is missing or from an unknown format', checkpoint, {
      hint: 'resume from a checkpoint written by this version of rlaif, or start a new run with another --output-dir',
    });
  }
  // Checkpoints from before a counter existed resume with it at zero.
  return { ...(state as TrainerState), runStats: { ...emptyRunStats(), ...state.runStats } };
}
