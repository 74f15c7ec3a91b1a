/**
 * The first half of `rlaif run`: everything that can be checked without loading a model or
 * spending money — config, data, plugins — and the plan of the run. `--dry-run` stops here.
 */
import type { Task } from '../contracts/task.js';
import type { TeacherUsage } from '../contracts/score.js';
import { ZERO_USAGE, addUsage } from '../contracts/score.js';
import { configWarnings } from '../config/cross-checks.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { ConfigOverrides } from '../config/overrides.js';
import type { RlaifConfig } from '../config/schema.js';
import { stepPlan } from '../config/specs.js';
import type { StepPlan } from '../trainer/step-plan.js';
import { sftStepCount } from '../trainer/sft-warmup.js';
import { readTasks } from '../data/read-tasks.js';
import { splitTasks } from '../data/split-tasks.js';
import type { Logger } from '../observability/logger.js';
import type { RunParts } from '../plugins/container.js';
import { resolveAllPlugins, type ResolvedPlugins } from '../plugins/resolve.js';
import { formatCount } from '../observability/stats.js';
import { defaultRewards } from '../rewards/default-rewards.js';
import type { ToolchainStatus } from '../contracts/toolchain.js';
import { checkToolchains, formatToolchains } from './toolchain-preflight.js';
import { checkHubToken } from '../hub/run-publisher.js';

export interface PreparedRun {
  readonly loaded: LoadedConfig;
  /** Parts the caller supplied instead of the config's; `runTraining` registers them too. */
  readonly parts: Partial<RunParts>;
  readonly config: RlaifConfig;
  readonly plugins: ResolvedPlugins;
  readonly trainTasks: readonly Task[];
  readonly evalTasks: readonly Task[];
  readonly plan: RunPlan;
  /** The teacher's toolchains for the languages in the data (empty when it runs no code). */
  readonly toolchains: readonly ToolchainStatus[];
}

/** What a run will do, computed before it starts. */
export interface RunPlan {
  readonly trainTasks: number;
  readonly evalTasks: number;
  readonly batchesPerEpoch: number;
  readonly epochs: number;
  /** Optimiser updates of the RL phase (= steps.policyUpdates). */
  readonly optimizerSteps: number;
  /** The one plan of batches and updates that the loop, the schedule and the progress bar follow. */
  readonly steps: StepPlan;
  readonly samplesGenerated: number;
  readonly maxNewTokens: number;
  /** Scoring calls: one per task per batch (listwise), for training, baseline and evaluation. */
  readonly teacherScoringCalls: number;
  readonly sftExamples: number;
  /** The teacher's own estimate, when it has one (LLM teachers). */
  readonly estimatedTeacherUsage: TeacherUsage | null;
}

export async function prepareRun(options: {
  readonly configPath?: string | undefined;
  readonly cwd: string;
  readonly overrides: ConfigOverrides;
  readonly logger: Logger;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Use these instead of what the config names (an embedding application, a test); their plugins are not resolved. */
  readonly parts?: Partial<RunParts>;
  /** No config file found: run with the defaults (`rlaif run --model --train-file`). */
  readonly defaultsWhenMissing?: boolean;
}): Promise<PreparedRun> {
  const loaded = await loadConfig({ configPath: options.configPath, cwd: options.cwd, overrides: options.overrides, defaultsWhenMissing: options.defaultsWhenMissing });
  const { config } = loaded;
  if (loaded.referenceTranslation !== undefined) options.logger.info(loaded.referenceTranslation);
  for (const warning of loaded.warnings) options.logger.warn(`${warning.keyPath}: ${warning.message}`);
  // An upload configured without a token fails now, not after hours of training.
  await checkHubToken(config, options.env ?? process.env, options.logger);

  const allTrain = await readTasks(config.data.trainFile);
  const limited = config.data.maxTasks ? allTrain.slice(0, config.data.maxTasks) : allTrain;
  let trainTasks: readonly Task[] = limited;
  let evalTasks: readonly Task[] = [];
  if (config.data.evalFile) {
    evalTasks = await readTasks(config.data.evalFile);
  } else if (config.data.evalSplit > 0) {
    const split = splitTasks(limited, config.data.evalSplit, config.training.seed);
    trainTasks = split.train;
    evalTasks = split.eval;
  }

  const parts = options.parts ?? {};
  const supplied = { backend: parts.backend, teacher: parts.teacher, rewards: parts.rewards, sinks: parts.sinks };
  let rewardsConfig = config.rewards;
  if (rewardsConfig === undefined && !parts.rewards) {
    const chosen = defaultRewards(trainTasks);
    rewardsConfig = [...chosen.rewards];
    options.logger.info(`rewards: ${chosen.rewards.map((r) => r.fn).join(' + ')} (${chosen.reason}; set \`rewards\` in the config to choose)`);
  }
  const plugins = await resolveAllPlugins({ ...config, rewards: rewardsConfig }, loaded.file, { env: options.env, logger: options.logger, cwd: options.cwd, supplied });
  const checked = await checkToolchains(plugins.teacher, { trainTasks, evalTasks }, { skip: config.data.skipLanguagesWithoutToolchain, configFile: loaded.file, logger: options.logger });
  ({ trainTasks, evalTasks } = checked);
  const plan = planRun(config, plugins, trainTasks, evalTasks);
  // Warnings that need the data size (warmup longer than the run) only now can be checked.
  const known = new Set(loaded.warnings.map((w) => `${w.keyPath}: ${w.message}`));
  for (const warning of configWarnings(config, { totalSteps: plan.optimizerSteps, sftSteps: sftStepCount(config.training.sft, plan.sftExamples) })) {
    if (!known.has(`${warning.keyPath}: ${warning.message}`)) options.logger.warn(`${warning.keyPath}: ${warning.message}`);
  }
  return { loaded, parts, config, plugins, trainTasks, evalTasks, plan, toolchains: checked.toolchains };
}

export function planRun(config: RlaifConfig, plugins: ResolvedPlugins, trainTasks: readonly Task[], evalTasks: readonly Task[]): RunPlan {
  const { training, rlaif, logging } = config;
  const steps = stepPlan(config, trainTasks.length);
  const batches = steps.batchesPerEpoch;
  const tasksPerEpoch = Math.min(trainTasks.length, batches * training.batchSize);
  const baselineTasks = Math.min(logging.baselineEvalBatches * training.batchSize, trainTasks.length);
  const trainingCalls = training.epochs * tasksPerEpoch;
  // Held-out evaluations: after each epoch, plus before training and after the SFT warm-up when enabled.
  const evaluations = training.epochs + (logging.evalBeforeTraining ? 1 : 0) + (training.sft.enabled ? 1 : 0);
  const evalCalls = evaluations * evalTasks.length;
  const evalSamples = rlaif.evalSamplesPerPrompt ?? rlaif.numSamplesPerPrompt;
  const scoringCalls = trainingCalls + evalCalls + baselineTasks;
  const sftExamples = training.sft.enabled ? Math.min(trainTasks.length, training.sft.maxExamples ?? Number.POSITIVE_INFINITY) : 0;
  let estimate: TeacherUsage | null = null;
  if (plugins.teacher.estimate) {
    estimate = ZERO_USAGE;
    const perTask = (task: Task, samples = rlaif.numSamplesPerPrompt) => plugins.teacher.estimate!(task, samples);
    for (const task of trainTasks.slice(0, tasksPerEpoch)) for (let e = 0; e < training.epochs; e++) estimate = addUsage(estimate, perTask(task));
    for (const task of evalTasks) for (let e = 0; e < evaluations; e++) estimate = addUsage(estimate, perTask(task, evalSamples));
    for (const task of trainTasks.slice(0, baselineTasks)) estimate = addUsage(estimate, perTask(task, evalSamples));
  }
  return {
    trainTasks: trainTasks.length,
    evalTasks: evalTasks.length,
    batchesPerEpoch: batches,
    epochs: training.epochs,
    optimizerSteps: steps.policyUpdates,
    steps,
    samplesGenerated: trainingCalls * rlaif.numSamplesPerPrompt + (evalCalls + baselineTasks) * evalSamples,
    maxNewTokens: rlaif.maxNewTokens,
    teacherScoringCalls: scoringCalls,
    sftExamples,
    estimatedTeacherUsage: estimate,
  };
}

/** The plan as the lines `--dry-run` prints. */
export function formatPlan(prepared: PreparedRun): string {
  const { plan, config, plugins, loaded } = prepared;
  const usage = plan.estimatedTeacherUsage;
  const lines = [
    `Config:        ${loaded.file ?? '(defaults)'}`,
    `Model:         ${config.model.name} (${config.model.dtype}${config.model.quantization === 'none' ? '' : `, ${config.model.quantization}`}, ${config.model.finetuning === 'full' ? 'full fine-tuning' : `LoRA r=${config.model.lora.rank}`})`,
    `Backend:       ${plugins.backend.name}`,
    `Teacher:       ${plugins.teacher.name}`,
    `Toolchains:    ${formatToolchains(prepared.toolchains)}`,
    `Rewards:       ${plugins.rewards.map((r) => `${r.fn.name}×${r.weight}`).join(' + ')}`,
    `Sinks:         ${plugins.sinks.map((s) => s.name).join(', ') || '(none)'}`,
    `Data:          ${plan.trainTasks} train tasks, ${plan.evalTasks} eval tasks (${config.data.trainFile})`,
    `Schedule:      ${plan.epochs} epochs × ${plan.batchesPerEpoch} batches → ${plan.optimizerSteps} optimizer updates` +
      (config.training.gradientAccumulationSteps > 1 ? ` (accumulating ${config.training.gradientAccumulationSteps} batches)` : '') +
      (config.rlaif.ppoEpochs > 1 ? `, ${config.rlaif.ppoEpochs} PPO passes each` : '') +
      `; ${config.training.schedule} learning rate ${config.training.learningRate}` +
      (config.training.warmupSteps > 0 ? ` after ${config.training.warmupSteps} warm-up updates` : ''),
    `Samples:       ${formatCount(plan.samplesGenerated)} generated (${config.rlaif.numSamplesPerPrompt} per prompt, ≤ ${plan.maxNewTokens} tokens each)`,
    `Teacher calls: ${formatCount(plan.teacherScoringCalls)} scoring calls (listwise, one per task per batch)`,
    plan.sftExamples ? `SFT warm-up:   ${plan.sftExamples} examples × ${config.training.sft.epochs} epochs` : 'SFT warm-up:   off',
    usage
      ? `Estimated teacher usage: ${formatCount(usage.inputTokens)} input + ${formatCount(usage.outputTokens)} output tokens ≈ $${usage.costUSD.toFixed(2)} (before cache hits)`
      : 'Estimated teacher usage: no API cost (local teacher)',
    `Output:        ${config.training.outputDir}`,
  ];
  return lines.join('\n');
}
