import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { createLogger, type LogLevel } from '../../observability/create-logger.js';
import { formatPlan, prepareRun } from '../../runner/prepare-run.js';
import { runTraining } from '../../runner/run-training.js';
import { EXIT_CODES, type CliCommand } from '../command.js';
import { parseArgs } from 'node:util';
import { UsageError, withUsageErrors } from '../parse.js';
import { fillBareFlag } from '../bare-flag.js';

const FLAGS = {
  config: { type: 'string', short: 'c' },
  model: { type: 'string' },
  'train-file': { type: 'string' },
  'eval-file': { type: 'string' },
  'output-dir': { type: 'string' },
  seed: { type: 'string' },
  resume: { type: 'string' },
  'dry-run': { type: 'boolean' },
  overwrite: { type: 'boolean' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'Train the student with RLAIF from a config file',
  help: `Usage: rlaif run [config] [flags]

Trains the student model: generate → teacher scores → rewards → policy-gradient update.

  [config], -c, --config <file>   rlaif.config.ts|mts|js|mjs or .rlaifrc.json|yaml (default: searched from the cwd;
                                  with none found, --model and --train-file run with the defaults)
  --model <name|path>             override model.name (hub id or local folder)
  --train-file <file>             override data.trainFile
  --eval-file <file>              override data.evalFile
  --output-dir <dir>              override training.outputDir
  --seed <n>                      override training.seed
  --resume [path|latest]          continue from a checkpoint (same data order, counters, RNG and optimiser state); bare = latest
                                  latest-intact: like latest, but falls back to the newest checkpoint whose files match their checksums
  --dry-run                       validate config and data, resolve plugins, print the plan; load no model, spend nothing
  --overwrite                     a fresh run may delete a previous run's outputs in the output directory
  --log-level <level>             error | warn | info | debug (default: logging.level)
  -h, --help                      this help

Exit codes: 0 done, 2 bad flags, 3 invalid config or data, 4 plugin missing, 5 hub refused the token at the start, 130 stopped (checkpoint saved), 1 internal error.`,

  async run(argv, io) {
    const { values, positionals } = withUsageErrors('run', () => parseArgs({ args: fillBareFlag(argv, '--resume', 'latest'), options: FLAGS, allowPositionals: true, strict: true }));
    if (values.help) {
      io.stdout.write(`${this.help}\n`);
      return EXIT_CODES.ok;
    }
    if (positionals.length > 1) throw new UsageError(`rlaif run takes one config file, got ${positionals.length}: ${positionals.join(' ')}`);
    const configPath = values.config ?? positionals[0];
    const level = values['log-level'];
    if (level !== undefined && !['error', 'warn', 'info', 'debug'].includes(level)) {
      throw new UsageError(`--log-level must be one of error, warn, info, debug; got '${level}'`);
    }
    const bootLogger = createLogger({ level: (level as LogLevel | undefined) ?? 'info', stream: io.stderr });
    const prepared = await prepareRun({
      configPath,
      cwd: io.cwd,
      overrides: {
        model: values.model,
        trainFile: values['train-file'],
        evalFile: values['eval-file'],
        outputDir: values['output-dir'],
        seed: values.seed,
      },
      logger: bootLogger,
      env: io.env,
      // Like `mlx_lm.lora --model --data`: with no config file, these two flags are enough.
      defaultsWhenMissing: values.model !== undefined && values['train-file'] !== undefined,
    });
    if (values['dry-run']) {
      io.stdout.write(`Dry run: nothing was loaded or spent.\n${formatPlan(prepared)}\n`);
      return EXIT_CODES.ok;
    }
    const { config } = prepared;
    const logDir = path.join(config.training.outputDir, 'logs');
    mkdirSync(logDir, { recursive: true });
    const logger = createLogger({
      level: (level as LogLevel | undefined) ?? config.logging.level,
      file: config.logging.logFile ? path.join(logDir, 'rlaif.log') : undefined,
      stream: io.stderr,
    });
    const controller = new AbortController();
    let interrupts = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      interrupts++;
      if (interrupts === 1) {
        logger.warn(`${signal} received: stopping after the current step and saving a checkpoint (press Ctrl-C again to quit at once)`);
        controller.abort();
      } else {
        process.exit(EXIT_CODES.stopped);
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      logger.info(`Plan:\n${formatPlan(prepared)}`);
      await runTraining({ prepared, logger, resume: values.resume, overwrite: values.overwrite ?? false, signal: controller.signal, stream: io.stderr, env: io.env });
      logger.info(`Done. Outputs in ${config.training.outputDir}`);
      return EXIT_CODES.ok;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await logger.close();
    }
  },
};
