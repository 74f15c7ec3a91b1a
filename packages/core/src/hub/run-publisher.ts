/**
 * The `huggingface` config section at work during `rlaif run`: checks the token before anything
 * is computed, creates the repositories when the run starts (a refused token stops it there), uploads
 * each checkpoint's adapter as it is saved (`pushEveryCheckpoint`, in the background), and pushes
 * the final model and the datasets at the end. An upload that fails after training never fails the
 * run: its outputs stay on disk and the log says how to retry with `rlaif push`.
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { CheckpointEntry } from '../checkpoint/catalog.js';
import { CHECKPOINT_SUMMARY_FILE, TRAINING_STATS_FILE } from '../checkpoint/checkpointer.js';
import type { RlaifConfig } from '../config/schema.js';
import type { Backend } from '../contracts/backend.js';
import { RlaifError } from '../errors/rlaif-error.js';
import { pathExists } from '../io/path-exists.js';
import type { Logger } from '../observability/logger.js';
import type { HubEnv } from './credentials.js';
import { commitFiles, ensureRepo, type HubSession, type UploadFile } from './hub-client.js';
import { parseHubRepo, type HubRepo } from './hub-repo.js';
import { pushRun, type PushRequest } from './push-run.js';
import { openHubSession, type OpenHubSessionOptions } from './session.js';

/** Whether the config asks for any upload. */
export function wantsHubUpload(config: RlaifConfig): boolean {
  const huggingface = config.huggingface;
  return huggingface.pushModel !== false || huggingface.pushDataset || huggingface.pushEveryCheckpoint;
}

/** Before any compute: fails with a ConfigError when an upload is configured and no token is found. */
export async function checkHubToken(config: RlaifConfig, env: HubEnv, logger: Logger): Promise<void> {
  if (!wantsHubUpload(config)) return;
  await openHubSession({ env, logger, keyPath: config.huggingface.pushModel !== false ? 'huggingface.pushModel' : config.huggingface.pushDataset ? 'huggingface.pushDataset' : 'huggingface.pushEveryCheckpoint' });
}

/** Options of `RunPublisher.start`. */
export interface RunPublisherOptions {
  readonly config: RlaifConfig;
  readonly env: HubEnv;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  readonly retry?: OpenHubSessionOptions['retry'];
}

export class RunPublisher {
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly session: HubSession,
    private readonly config: RlaifConfig,
    private readonly logger: Logger,
    private readonly model: HubRepo | undefined,
    private readonly dataset: HubRepo | undefined,
  ) {}

  /**
   * Opens the session and creates the repositories; undefined when the config pushes nothing. A
   * refused token (401/403) throws here, before training; an unreachable hub is only a warning.
   */
  static async start(options: RunPublisherOptions): Promise<RunPublisher | undefined> {
    const { config, logger } = options;
    if (!wantsHubUpload(config)) return undefined;
    const huggingface = config.huggingface;
    const session = await openHubSession({ env: options.env, logger, keyPath: 'huggingface.pushModel', ...(options.signal ? { signal: options.signal } : {}), ...(options.retry ? { retry: options.retry } : {}) });
    const model = huggingface.repoId !== undefined && (huggingface.pushModel !== false || huggingface.pushEveryCheckpoint) ? parseHubRepo(huggingface.repoId, 'model', 'huggingface.repoId') : undefined;
    const dataset = huggingface.pushDataset && huggingface.datasetRepoId !== undefined ? parseHubRepo(huggingface.datasetRepoId, 'dataset', 'huggingface.datasetRepoId') : undefined;
    for (const repo of [model, dataset]) {
      if (!repo) continue;
      try {
        await ensureRepo(session, repo, { private: huggingface.private });
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status === 401 || status === 403) throw error;
        logger.warn(`Hub: could not reach ${session.endpoint} to create ${repo.name} (${(error as Error).message.split('\n')[0]}); training goes on and the upload is tried at the end`);
      }
    }
    return new RunPublisher(session, config, logger, model, dataset);
  }

  /**
   * `pushEveryCheckpoint`: copies the checkpoint's adapter aside (retention may delete the folder)
   * and uploads it to `checkpoints/<name>/` in the background; a failure is logged, never thrown.
   */
  async onCheckpoint(entry: CheckpointEntry, runDir: string): Promise<void> {
    const repo = this.model;
    if (!this.config.huggingface.pushEveryCheckpoint || !repo) return;
    const staging = path.join(runDir, '.cache', 'hub', `checkpoint-${entry.name}`);
    const files: UploadFile[] = [];
    try {
      await mkdir(staging, { recursive: true });
      for (const name of ['adapter_config.json', 'adapter_model.safetensors', TRAINING_STATS_FILE, CHECKPOINT_SUMMARY_FILE]) {
        if (!(await pathExists(path.join(entry.path, name)))) continue;
        await copyFile(path.join(entry.path, name), path.join(staging, name));
        files.push({ pathInRepo: `checkpoints/${entry.name}/${name}`, localPath: path.join(staging, name) });
      }
    } catch (error) {
      this.logger.warn(`Hub: could not stage ${entry.name} for upload: ${(error as Error).message}`);
      return;
    }
    this.queue = this.queue.then(async () => {
      try {
        const result = await commitFiles(this.session, repo, files, { title: `Upload ${entry.name} (rlaif)` });
        this.logger.info(`Hub: ${repo.name}: ${entry.name} uploaded (${result.uploaded.length} file(s) sent)`);
      } catch (error) {
        this.logger.warn(`Hub: uploading ${entry.name} to ${repo.name} failed (the final push still runs): ${(error as Error).message}`);
      } finally {
        await rm(staging, { recursive: true, force: true }).catch(() => undefined);
      }
    });
  }

  /**
   * After the final checkpoint: waits for checkpoint uploads, then pushes the model and datasets.
   * Resolves to whether everything was pushed; failures are logged with the `rlaif push` command that retries them.
   */
  async finish(runDir: string, backend: Backend | undefined): Promise<boolean> {
    await this.queue;
    const huggingface = this.config.huggingface;
    const request: PushRequest = {
      runDir,
      model: huggingface.pushModel !== false && this.model ? { repo: this.model, format: huggingface.pushModel } : undefined,
      dataset: this.dataset ? { repo: this.dataset } : undefined,
      private: huggingface.private,
      backend,
      logger: this.logger,
    };
    if (!request.model && !request.dataset) return true;
    try {
      await pushRun(this.session, request);
      return true;
    } catch (error) {
      const retry = [
        `rlaif push ${runDir}`,
        ...(request.model ? [`--repo ${request.model.repo.name} --format ${request.model.format}`] : []),
        ...(request.dataset ? [`--datasets --dataset-repo ${request.dataset.repo.name}`] : []),
      ].join(' ');
      const reason = RlaifError.isInstance(error) ? error.message : String(error);
      this.logger.error(`Hub: the upload failed; the run's outputs are complete on disk. ${reason}\n  → retry with: ${retry}`);
      return false;
    }
  }
}
