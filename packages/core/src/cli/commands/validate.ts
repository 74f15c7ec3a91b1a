import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCheckpoint } from '../../checkpoint/catalog.js';
import { evaluationSettings, toLoraSpec, toModelSpec, toOptimizationSpec } from '../../config/specs.js';
import { readTasks } from '../../data/read-tasks.js';
import { DatasetRecorder } from '../../dataset/recorder.js';
import type { DatasetRowInput } from '../../dataset/row.js';
import { RlaifError } from '../../errors/index.js';
import { writeJsonAtomic } from '../../io/atomic-write.js';
import { createLogger, type LogLevel } from '../../observability/create-logger.js';
import { prepareRun } from '../../runner/prepare-run.js';
import { formatValidationReport, validateModel } from '../../validation/validate-model.js';
import { EXIT_CODES, type CliCommand } from '../command.js';
import { UsageError, withUsageErrors } from '../parse.js';

const FLAGS = {
  config: { type: 'string', short: 'c' },
  checkpoint: { type: 'string' },
  'baseline-checkpoint': { type: 'string' },
  'eval-file': { type: 'string' },
  'output-dir': { type: 'string' },
  samples: { type: 'string' },
  temperature: { type: 'string' },
  'max-tasks': { type: 'string' },
  seed: { type: 'string' },
  output: { type: 'string' },
  'print-chars': { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function positiveNumber(flag: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) throw new UsageError(`--${flag} must be a ${integer ? 'whole ' : ''}number ≥ 0, got '${value}'`);
  return n;
}

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'Compare the baseline model (or an earlier checkpoint) with a fine-tuned checkpoint on held-out tasks',
  help: `Usage: rlaif validate [config] [flags]

Generates from the baseline model and from the fine-tuned checkpoint with the same seeds, scores
both with the configured teacher and rewards, and prints the validation report (also as JSON).

  [config], -c, --config <file>   the run's config (default: searched from the cwd)
  --checkpoint <dir|name|latest>  the fine-tuned checkpoint (default: latest in training.outputDir)
  --baseline-checkpoint <dir|name>
                                  compare against this checkpoint instead of the base model, e.g.
                                  checkpoint-sft-gs<N> to measure what RL added to the SFT warm-up
  --eval-file <file>              tasks to validate on (default: the config's eval tasks)
  --output-dir <dir>              the run directory (default: training.outputDir)
  --samples <n>                   samples per task (default: rlaif.evalSamplesPerPrompt, else rlaif.numSamplesPerPrompt)
  --temperature <t>               sampling temperature (default: rlaif.evalTemperature, else rlaif.temperature)
  --max-tasks <n>                 validate on the first n tasks only
  --seed <n>                      sampling seed (default: training.seed)
  --output <file>                 where to write the JSON report (default: <run dir>/validation_report.json)
  --print-chars <n>               characters of code shown per example (default 400)
  --log-level <level>             error | warn | info | debug`,

  async run(argv, io) {
    const { values, positionals } = withUsageErrors('validate', () => parseArgs({ args: [...argv], options: FLAGS, allowPositionals: true, strict: true }));
    if (values.help) {
      io.stdout.write(`${this.help}\n`);
      return EXIT_CODES.ok;
    }
    const logger = createLogger({ level: (values['log-level'] as LogLevel | undefined) ?? 'info', stream: io.stderr });
    try {
      const prepared = await prepareRun({
        configPath: values.config ?? positionals[0],
        cwd: io.cwd,
        overrides: { outputDir: values['output-dir'], seed: values.seed, evalFile: values['eval-file'] },
        logger,
        env: io.env,
      });
      const { config, plugins } = prepared;
      let tasks = values['eval-file'] ? await readTasks(path.resolve(io.cwd, values['eval-file'])) : prepared.evalTasks;
      const maxTasks = positiveNumber('max-tasks', values['max-tasks'], true);
      if (maxTasks) tasks = tasks.slice(0, maxTasks);
      if (tasks.length === 0) {
        throw new RlaifError('there are no tasks to validate on', { hint: 'pass --eval-file <tasks.jsonl>, or set data.evalFile or data.evalSplit in the config' });
      }
      const runDir = config.training.outputDir;
      const checkpoint = await loadCheckpoint(runDir, values.checkpoint ?? 'latest');
      const baselineFlag = values['baseline-checkpoint'];
      const baselineCheckpoint = baselineFlag === undefined ? undefined : await loadCheckpoint(runDir, baselineFlag);
      const controller = new AbortController();
      const context = { runDir, cacheDir: path.join(runDir, '.cache'), logger, seed: config.training.seed, signal: controller.signal };
      await plugins.teacher.setup?.(context);
      const recorder = await DatasetRecorder.open(runDir, { dir: config.training.datasetsDir });
      try {
        const samples = positiveNumber('samples', values.samples, true);
        // The run's own evaluation settings, so a checkpoint scores here exactly as in the run's table.
        const evaluation = evaluationSettings(config, prepared.trainTasks.length, {
          samplesPerTask: samples === undefined ? undefined : Math.max(1, samples),
          temperature: positiveNumber('temperature', values.temperature, false),
        });
        const stepOf = (model: 'baseline' | 'fine-tuned') => (model === 'baseline' ? (baselineCheckpoint?.manifest.globalStep ?? 0) : checkpoint.manifest.globalStep);
        const report = await validateModel({
          backend: plugins.backend,
          backendOptions: {
            model: toModelSpec(config),
            lora: toLoraSpec(config),
            optimization: toOptimizationSpec(config, prepared.plan.optimizerSteps),
            context,
          },
          checkpoint: checkpoint.path,
          ...(baselineCheckpoint === undefined ? {} : { baselineCheckpoint: baselineCheckpoint.path }),
          teacher: plugins.teacher,
          rewards: plugins.rewards,
          tasks,
          evaluation,
          logger,
          signal: controller.signal,
          onScored: async (model, groups, rewards) => {
            const rows: DatasetRowInput[] = [];
            groups.forEach((group) =>
              group.rollouts.forEach((rollout, i) =>
                rows.push({
                  rollout,
                  score: group.scores[i] ?? null,
                  reference: group.reference,
                  teacherScore: group.referenceScore?.overall ?? null,
                  reward: rewards[rows.length] ?? null,
                  advantage: null,
                  // epoch 0 = baseline, 1 = fine-tuned; batch = the global step of the weights evaluated.
                  epoch: model === 'baseline' ? 0 : 1,
                  batch: stepOf(model),
                  step: stepOf(model),
                }),
              ),
            );
            try {
              await recorder.append('evaluation', rows);
            } catch (error) {
              logger.warn(`evaluation rows not recorded (${(error as Error).message.split('\n')[0]}); this checkpoint was validated before`);
            }
          },
        });
        const output = values.output ? path.resolve(io.cwd, values.output) : path.join(runDir, 'validation_report.json');
        await writeJsonAtomic(output, report);
        io.stdout.write(`${formatValidationReport(report, positiveNumber('print-chars', values['print-chars'], true) ?? 400)}\n`);
        logger.info(`Report written to ${output}`);
        return EXIT_CODES.ok;
      } finally {
        await recorder.flush().catch(() => undefined);
        await recorder.close().catch(() => undefined);
        await plugins.teacher.close?.();
      }
    } finally {
      await logger.close();
    }
  },
};
