/**
 * Pushes a run to the hub: a checkpoint as a model repository (the adapter in PEFT layout, merged
 * weights or GGUF, exported by the backend, with a model card and the reward curve) and the
 * recorded datasets as a dataset repository (three splits declared in the card). Used at the end
 * of `rlaif run` and by `rlaif push`; `dryRun` lists what would be sent and sends nothing.
 */
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { listCheckpoints, loadCheckpoint } from '../checkpoint/catalog.js';
import { isFinalCheckpointName, parseCheckpointName } from '../checkpoint/naming.js';
import { checkpointsDirOf } from '../checkpoint/run-paths.js';
import type { Backend } from '../contracts/backend.js';
import { renderDatasetCard } from '../dataset/card.js';
import { DATASET_SPLITS } from '../dataset/row.js';
import { CheckpointError, PluginError } from '../errors/rlaif-error.js';
import { pathExists } from '../io/path-exists.js';
import type { Logger } from '../observability/logger.js';
import { renderLineChart } from '../report/svg-line-chart.js';
import { datasetCardInfoOf } from './dataset-card-info.js';
import { commitFiles, ensureRepo, type CommitResult, type HubSession, type UploadFile, type UploadProgress } from './hub-client.js';
import { repoUrl, type HubRepo } from './hub-repo.js';
import { renderModelCard } from './model-card.js';
import { readRunFacts, type RunFacts } from './run-facts.js';

/** The forms a model is pushed in (`huggingface.pushModel`, `rlaif push --format`). */
export type PushFormat = 'adapter' | 'merged' | 'gguf';

/** What to push where. */
export interface PushRequest {
  readonly runDir: string;
  /** A checkpoint folder or name; default the run's final checkpoint, else its newest. */
  readonly checkpoint?: string | undefined;
  readonly model?: { readonly repo: HubRepo; readonly format: PushFormat } | undefined;
  readonly dataset?: { readonly repo: HubRepo } | undefined;
  /** Visibility of repositories created by the push. */
  readonly private: boolean;
  /** Exports the checkpoint (needed for merged and gguf; the adapter is copied as saved). */
  readonly backend?: Backend | undefined;
  /** The base model for the export; default the adapter's `base_model_name_or_path`. */
  readonly baseModel?: string | undefined;
  readonly logger: Logger;
}

/** One file listed or sent. */
export interface PushedFile {
  readonly pathInRepo: string;
  readonly bytes: number;
}

/** What a push did (or, dry, would do) for one repository. */
export interface RepoPush {
  readonly repo: HubRepo;
  readonly url: string;
  readonly files: readonly PushedFile[];
  /** Absent in a dry run. */
  readonly result?: CommitResult;
  /** For a model: the checkpoint it came from. */
  readonly checkpoint?: string;
}

const REWARD_CURVE_FILE = 'reward_curve.svg';
const ADAPTER_FILES = ['adapter_config.json', 'adapter_model.safetensors'];

/** Lists what `push` would send, reading the run but writing and sending nothing. */
export async function planPush(request: PushRequest, endpoint: string): Promise<RepoPush[]> {
  const plans: RepoPush[] = [];
  if (request.model) {
    const checkpoint = await chooseCheckpoint(request.runDir, request.checkpoint);
    if (request.model.format === 'adapter') await requireAdapter(checkpoint.path);
    const files =
      request.model.format === 'adapter'
        ? await sizes(ADAPTER_FILES.map((name) => ({ pathInRepo: name, localPath: path.join(checkpoint.path, name) })))
        : [{ pathInRepo: request.model.format === 'gguf' ? '(model.gguf exported from the checkpoint)' : '(merged weights, config and tokenizer exported from the checkpoint)', bytes: 0 }];
    plans.push({ repo: request.model.repo, url: repoUrl(endpoint, request.model.repo), files: [...files, { pathInRepo: 'README.md', bytes: 0 }, { pathInRepo: REWARD_CURVE_FILE, bytes: 0 }], checkpoint: checkpoint.path });
  }
  if (request.dataset) {
    const files = await sizes(await datasetFiles((await readRunFacts(request.runDir)).datasetsDir));
    plans.push({ repo: request.dataset.repo, url: repoUrl(endpoint, request.dataset.repo), files: [...files, { pathInRepo: 'README.md', bytes: 0 }] });
  }
  return plans;
}

/** Pushes the model and/or datasets; the model repository first. Throws a HubError on failure. */
export async function pushRun(session: HubSession, request: PushRequest): Promise<RepoPush[]> {
  const facts = await readRunFacts(request.runDir);
  const pushed: RepoPush[] = [];
  if (request.model) pushed.push(await pushModel(session, request, request.model, facts));
  if (request.dataset) pushed.push(await pushDatasets(session, request, request.dataset.repo, facts));
  return pushed;
}

async function pushModel(session: HubSession, request: PushRequest, target: NonNullable<PushRequest['model']>, facts: RunFacts): Promise<RepoPush> {
  const checkpoint = await chooseCheckpoint(request.runDir, request.checkpoint);
  const staging = path.join(request.runDir, '.cache', 'hub', `${target.format}-${checkpoint.name}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  try {
    request.logger.info(`Hub: exporting ${checkpoint.name} as ${target.format} for ${target.repo.name}`);
    const exported = await exportCheckpoint(request, target.format, checkpoint.path, staging);
    const files: UploadFile[] = exported.map((localPath) => ({ pathInRepo: path.relative(staging, localPath).split(path.sep).join('/'), localPath }));
    const card: UploadFile[] = [];
    if (facts.rewardCurve.length > 0) {
      await writeFile(path.join(staging, REWARD_CURVE_FILE), renderLineChart({ title: 'Mean reward per batch', xLabel: 'optimizer step', series: [{ name: 'Train/AvgReward', points: facts.rewardCurve }] }));
      card.push({ pathInRepo: REWARD_CURVE_FILE, localPath: path.join(staging, REWARD_CURVE_FILE) });
    }
    const baseModel = request.baseModel ?? (await adapterBaseModel(checkpoint.path));
    const readme = renderModelCard({
      facts,
      format: target.format,
      repoId: target.repo.name,
      checkpoint: checkpoint.name,
      globalStep: checkpoint.globalStep,
      license: baseModel ? await baseModelLicense(baseModel) : undefined,
      datasetRepoId: request.dataset?.repo.name,
      rewardCurveFile: card.length > 0 ? REWARD_CURVE_FILE : undefined,
      ggufFile: files.find((f) => f.pathInRepo.endsWith('.gguf'))?.pathInRepo,
    });
    await writeFile(path.join(staging, 'README.md'), readme);
    card.push({ pathInRepo: 'README.md', localPath: path.join(staging, 'README.md') });
    const all = [...files.filter((f) => f.pathInRepo !== 'README.md'), ...card];
    const listed = await sizes(all);
    const result = await upload(session, request, target.repo, all, `Upload ${target.format} from ${checkpoint.name} (rlaif)`);
    return { repo: target.repo, url: repoUrl(session.endpoint, target.repo), files: listed, result, checkpoint: checkpoint.path };
  } finally {
    // The export is re-made on the next push; bytes the hub already holds are not sent again.
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function pushDatasets(session: HubSession, request: PushRequest, repo: HubRepo, facts: RunFacts): Promise<RepoPush> {
  const files = await datasetFiles(facts.datasetsDir);
  const counts = Object.fromEntries(DATASET_SPLITS.map((split) => [split, facts.splits[split].rows])) as Record<(typeof DATASET_SPLITS)[number], number>;
  // The card is rendered afresh (not the run's datasets/README.md) so its counts match the files sent.
  const staging = path.join(request.runDir, '.cache', 'hub', 'dataset-card');
  await mkdir(staging, { recursive: true });
  const card = path.join(staging, 'README.md');
  await writeFile(card, renderDatasetCard(counts, { ...datasetCardInfoOf(facts), title: repo.name.split('/')[1]! }));
  const all = [...files, { pathInRepo: 'README.md', localPath: card }];
  const listed = await sizes(all);
  try {
    const result = await upload(session, request, repo, all, 'Upload rlaif datasets');
    return { repo, url: repoUrl(session.endpoint, repo), files: listed, result };
  } finally {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function upload(session: HubSession, request: PushRequest, repo: HubRepo, files: readonly UploadFile[], title: string): Promise<CommitResult> {
  if (await ensureRepo(session, repo, { private: request.private })) request.logger.info(`Hub: created ${request.private ? 'private' : 'public'} ${repo.type} repository ${repo.name}`);
  const reported = new Map<string, number>();
  const onProgress = (event: UploadProgress) => {
    if (event.kind === 'phase') return request.logger.debug(`Hub: ${repo.name}: ${event.phase}`);
    if (event.state !== 'uploading') return;
    // One line per file at 0 %, each quarter and 100 %: enough to see a large upload move.
    const quarter = Math.floor(event.fraction * 4);
    if ((reported.get(event.path) ?? -1) >= quarter) return;
    reported.set(event.path, quarter);
    request.logger.info(`Hub: ${repo.name}: ${event.path} ${Math.round(event.fraction * 100)} %`);
  };
  const result = await commitFiles(session, repo, files, { title, onProgress });
  const what = result.commit === null ? 'already up to date' : `commit ${result.commit.slice(0, 12)}${result.recovered ? ' (its answer was lost; found on the hub)' : ''}`;
  request.logger.info(`Hub: ${repoUrl(session.endpoint, repo)}: ${result.uploaded.length} file(s) sent, ${result.unchanged.length} unchanged, ${what}`);
  return result;
}

async function exportCheckpoint(request: PushRequest, format: PushFormat, checkpointDir: string, outputDir: string): Promise<string[]> {
  if (format === 'adapter') await requireAdapter(checkpointDir);
  const exporter = request.backend?.experimental_export?.bind(request.backend);
  if (!exporter && format === 'adapter') {
    // The checkpoint already holds the adapter in PEFT layout: no engine is needed to push it.
    const files = [];
    for (const name of ADAPTER_FILES) {
      await copyFile(path.join(checkpointDir, name), path.join(outputDir, name));
      files.push(path.join(outputDir, name));
    }
    return files;
  }
  if (!exporter) {
    throw new PluginError(`pushing ${format} needs a backend that exports checkpoints, and '${request.backend?.name ?? '(none)'}' does not`, request.backend?.name ?? 'backend', {
      hint: 'push with the backend that trained the run, e.g. --backend @rlaif/backend-mlx',
    });
  }
  const result = await exporter({ checkpointDir, format: format === 'adapter' ? 'peft' : format, outputDir, ...(request.baseModel ? { baseModel: request.baseModel } : {}) });
  return result.files.map((file) => path.resolve(result.outputDir, file));
}

async function requireAdapter(checkpointDir: string): Promise<void> {
  if (await pathExists(path.join(checkpointDir, 'adapter_config.json'))) return;
  throw new CheckpointError('holds no LoRA adapter (adapter_config.json): a full fine-tuning checkpoint is a whole model', checkpointDir, {
    hint: 'push it as merged weights or GGUF: --format merged (huggingface.pushModel: merged) or --format gguf',
  });
}

/**
 * A run's checkpoint, verified against its checksums: the one named, else the final one, else the
 * newest. A damaged final checkpoint is an error naming the file, never a silent fall-back to an older one.
 */
async function chooseCheckpoint(runDir: string, which: string | undefined): Promise<{ name: string; path: string; globalStep: number }> {
  let choice = which;
  if (choice === undefined) {
    const names = await readdir(checkpointsDirOf(runDir)).catch(() => [] as string[]);
    const finals = names.filter(isFinalCheckpointName).sort((a, b) => (parseCheckpointName(a)?.globalStep ?? 0) - (parseCheckpointName(b)?.globalStep ?? 0));
    choice = finals.at(-1) ?? 'latest';
    if (choice === 'latest' && (await listCheckpoints(runDir)).length === 0) {
      throw new CheckpointError('the run has no complete checkpoint to push', checkpointsDirOf(runDir), {
        hint: 'push a run that saved a checkpoint, or name one with `rlaif push <checkpoint dir>`',
      });
    }
  }
  const loaded = await loadCheckpoint(runDir, choice);
  return { name: loaded.name, path: loaded.path, globalStep: loaded.manifest.globalStep };
}

/** The split files with rows (an empty split is left out: `load_dataset` cannot read an empty JSON file). */
async function datasetFiles(datasetsDir: string): Promise<UploadFile[]> {
  const files: UploadFile[] = [];
  for (const split of DATASET_SPLITS) {
    const localPath = path.join(datasetsDir, `${split}.jsonl`);
    if ((await stat(localPath).catch(() => undefined))?.size) files.push({ pathInRepo: `${split}.jsonl`, localPath });
  }
  if (files.length === 0) {
    throw new CheckpointError('the run recorded no dataset rows to push', datasetsDir, {
      hint: 'push the datasets of a run that trained or evaluated at least one batch, or leave out --datasets',
    });
  }
  return files;
}

async function sizes(files: readonly UploadFile[]): Promise<PushedFile[]> {
  return Promise.all(files.map(async (file) => ({ pathInRepo: file.pathInRepo, bytes: (await stat(file.localPath)).size })));
}

async function adapterBaseModel(checkpointDir: string): Promise<string | undefined> {
  const text = await readFile(path.join(checkpointDir, 'adapter_config.json'), 'utf8').catch(() => undefined);
  const base = text ? (JSON.parse(text) as { base_model_name_or_path?: unknown }).base_model_name_or_path : undefined;
  return typeof base === 'string' ? base : undefined;
}

/** The `license:` of a local base model's card (a hub id's card is not fetched). */
async function baseModelLicense(baseModel: string): Promise<string | undefined> {
  const card = path.join(baseModel, 'README.md');
  if (!(await pathExists(card))) return undefined;
  const front = /^---\n([\s\S]*?)\n---/.exec(await readFile(card, 'utf8'))?.[1];
  const license = front ? /^license:\s*["']?([^"'\n]+)["']?\s*$/m.exec(front)?.[1] : undefined;
  return license?.trim() || undefined;
}
