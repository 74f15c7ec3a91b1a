import path from 'node:path';
import { parseArgs } from 'node:util';
import { MANIFEST_FILE } from '../../checkpoint/manifest.js';
import type { Backend } from '../../contracts/backend.js';
import { hubEndpoint } from '../../hub/credentials.js';
import { parseHubRepo } from '../../hub/hub-repo.js';
import { objectAt } from '../../hub/run-facts.js';
import { planPush, pushRun, type PushFormat, type PushRequest, type RepoPush } from '../../hub/push-run.js';
import { openHubSession } from '../../hub/session.js';
import { pathExists } from '../../io/path-exists.js';
import { createLogger, type LogLevel } from '../../observability/create-logger.js';
import { readJsonObject } from '../../report/read-json-lines.js';
import { EXIT_CODES, type CliCommand } from '../command.js';
import { UsageError, withUsageErrors } from '../parse.js';
import { commandBackend } from './backend-option.js';

const FORMATS: readonly PushFormat[] = ['adapter', 'merged', 'gguf'];

const FLAGS = {
  repo: { type: 'string' },
  format: { type: 'string' },
  datasets: { type: 'boolean' },
  'dataset-repo': { type: 'string' },
  public: { type: 'boolean' },
  private: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'base-model': { type: 'string' },
  backend: { type: 'string' },
  config: { type: 'string', short: 'c' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const pushCommand: CliCommand = {
  name: 'push',
  summary: 'Upload a run (model, datasets, cards) to the Hugging Face hub',
  help: `Usage: rlaif push <run-dir|checkpoint-dir> --repo <user/name> [--format adapter|merged|gguf] [--datasets] [flags]

  <run-dir>                 a run's output directory (its final checkpoint, else its newest), or one checkpoint folder
  --repo <user/name>        the model repository (default: the run's huggingface.repoId)
  --format <f>              adapter: the LoRA adapter in PEFT layout (peft loads it; the default)
                            merged: base + adapter merged, with config and tokenizer (transformers)
                            gguf: one merged .gguf file (llama.cpp)
  --datasets                also upload datasets/ (train, validation, evaluation splits with their card)
  --dataset-repo <user/name>  where the datasets go (default: the run's huggingface.datasetRepoId, else <repo>-dataset)
  --public | --private      visibility of repositories this creates (default: the run's huggingface.private, else private)
  --dry-run                 list what would be sent, send nothing (no token needed)
  --base-model <dir|id>     the base model for merged/gguf (default: the adapter's base_model_name_or_path)
  --backend <package>       the engine that exports merged/gguf (default: the config's backend, else @rlaif/backend-mlx)
  -c, --config <file>       take the backend from this config
  --log-level <level>       error | warn | info | debug

The token comes from HF_TOKEN (or the file \`huggingface-cli login\` writes), the hub from HF_ENDPOINT.
Files the repository already holds are not sent again, so an interrupted push is resumed by running it again.`,

  async run(argv, io) {
    const { values, positionals } = withUsageErrors('push', () => parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: true }));
    if (values.help) {
      io.stdout.write(`${this.help}\n`);
      return EXIT_CODES.ok;
    }
    if (positionals.length !== 1) throw new UsageError('rlaif push needs one run directory or checkpoint folder', { hint: 'e.g. rlaif push runs/first --repo alice/coder' });
    if (values.public && values.private) throw new UsageError('--public and --private contradict each other; give one');
    const level = values['log-level'] ?? 'info';
    if (!['error', 'warn', 'info', 'debug'].includes(level)) throw new UsageError(`--log-level must be error, warn, info or debug; got '${level}'`);
    const logger = createLogger({ level: level as LogLevel, stream: io.stderr });

    const target = path.resolve(io.cwd, positionals[0]!);
    const isCheckpoint = await pathExists(path.join(target, MANIFEST_FILE));
    const runDir = isCheckpoint ? path.dirname(path.dirname(target)) : target;
    if (!isCheckpoint && !(await pathExists(path.join(runDir, 'checkpoints'))) && !(await pathExists(path.join(runDir, 'run.json')))) {
      throw new UsageError(`${target} is neither a run directory nor a checkpoint folder`, { hint: "give a run's training.outputDir or one of its checkpoints/checkpoint-… folders" });
    }
    // The run's own huggingface settings are the defaults.
    const recorded = objectAt(objectAt((await readJsonObject(path.join(runDir, 'run.json'))).value, 'config'), 'huggingface');
    const recordedString = (key: string) => (typeof recorded?.[key] === 'string' ? (recorded[key] as string) : undefined);
    const repoName = values.repo ?? recordedString('repoId');
    const format = (values.format ?? (typeof recorded?.['pushModel'] === 'string' ? recorded['pushModel'] : 'adapter')) as PushFormat;
    if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}; got '${values.format}'`);
    const datasetName = values.datasets ? (values['dataset-repo'] ?? recordedString('datasetRepoId') ?? (repoName ? `${repoName}-dataset` : undefined)) : undefined;
    if (!repoName && !datasetName) throw new UsageError('rlaif push needs --repo <user/name> (or --datasets --dataset-repo <user/name>)');
    if (values.datasets && !datasetName) throw new UsageError('--datasets needs --dataset-repo <user/name> or --repo');
    const isPrivate = values.public ? false : values.private ? true : typeof recorded?.['private'] === 'boolean' ? recorded['private'] : true;

    const needsBackend = repoName !== undefined && format !== 'adapter' && !values['dry-run'];
    let backend: Backend | undefined;
    if (needsBackend) backend = (await commandBackend({ backend: values.backend, config: values.config, cwd: io.cwd })).backend;
    const request: PushRequest = {
      runDir,
      checkpoint: isCheckpoint ? target : undefined,
      model: repoName ? { repo: parseHubRepo(repoName, 'model', '--repo'), format } : undefined,
      dataset: datasetName ? { repo: parseHubRepo(datasetName, 'dataset', '--dataset-repo') } : undefined,
      private: isPrivate,
      backend,
      baseModel: values['base-model'],
      logger,
    };

    if (values['dry-run']) {
      const plans = await planPush(request, hubEndpoint(io.env));
      io.stdout.write(`${formatPlans(plans, isPrivate, 'would send')}\n(dry run: nothing was sent)\n`);
      return EXIT_CODES.ok;
    }
    const controller = new AbortController();
    const onSigint = () => controller.abort(new Error('stopped by Ctrl-C'));
    process.once('SIGINT', onSigint);
    try {
      const session = await openHubSession({ env: io.env, logger, signal: controller.signal, keyPath: '--repo' });
      const pushed = await pushRun(session, request);
      io.stdout.write(`${formatPlans(pushed, isPrivate, 'sent')}\n`);
      return EXIT_CODES.ok;
    } finally {
      process.removeListener('SIGINT', onSigint);
      await logger.close();
    }
  },
};

function formatPlans(plans: readonly RepoPush[], isPrivate: boolean, verb: string): string {
  return plans
    .map((plan) => {
      const header = `${plan.repo.type} repository ${plan.url} (${isPrivate ? 'private' : 'public'} if created)${plan.checkpoint ? ` from ${plan.checkpoint}` : ''}:`;
      const unchanged = new Set(plan.result?.unchanged ?? []);
      const lines = plan.files.map((f) => `  ${f.pathInRepo}${f.bytes ? `  ${formatBytes(f.bytes)}` : ''}${unchanged.has(f.pathInRepo) ? '  (unchanged, not sent)' : ''}`);
      const outcome = plan.result ? (plan.result.commit ? `  → commit ${plan.result.commit}` : '  → already up to date, nothing committed') : `  (${verb} ${plan.files.length} files)`;
      return [header, ...lines, outcome].join('\n');
    })
    .join('\n');
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} kB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
}
