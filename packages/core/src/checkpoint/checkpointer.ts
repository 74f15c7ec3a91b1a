import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointError, RlaifError } from '../errors/rlaif-error.js';
import { AppendOnlyFile } from '../io/append-only-file.js';
import { fsyncDirectory } from '../io/fsync-directory.js';
import { sha256OfFile } from '../io/file-checksum.js';
import { syncTree } from '../io/sync-tree.js';
import type { CheckpointEntry, LoadedCheckpoint } from './catalog.js';
import { TRAINER_STATE_FILE, listCheckpoints, loadCheckpoint } from './catalog.js';
import type { CheckpointManifest } from './manifest.js';
import { MANIFEST_FILE, MANIFEST_FORMAT_VERSION, writeManifest } from './manifest.js';
import { isKeptCheckpointName, parseCheckpointName } from './naming.js';
import type { PrepareResumeOptions, ResumePreparation } from './resume.js';
import { prepareResume } from './resume.js';
import { CHECKPOINT_TEMP_PREFIX, checkpointsDirOf, resolveRunPath } from './run-paths.js';

/** Rolling trainer statistics, as in the reference system. */
export const TRAINING_STATS_FILE = 'training_stats.json';
/** Epoch, batch, step, baseline reward and gain, as in the reference system. */
export const CHECKPOINT_SUMMARY_FILE = 'checkpoint_summary.json';

/** How a CheckpointManager keeps its folder tidy. */
export interface CheckpointManagerOptions {
  /** Keep at most this many non-final checkpoints (oldest by global step go first); unset or 0 keeps all. */
  readonly saveTotalLimit?: number;
  /** Clock for `createdAt` and summary timestamps (tests pin it). */
  readonly now?: () => Date;
  /** Called with each complete checkpoint before retention may delete older ones (e.g. to upload it). */
  readonly onSaved?: (entry: CheckpointEntry) => Promise<void>;
}

/** Rewards for `checkpoint_summary.json`; the gain is derived when both are known. */
export interface CheckpointSummaryInput {
  /** Mean reward of the pre-training baseline evaluation, or null when none was run. */
  readonly baselineReward: number | null;
  /** Mean reward of every training sample so far (the run's average), or null before the first. */
  readonly averageReward: number | null;
  /** More fields to record in the summary. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Everything one checkpoint stores. */
export interface SaveCheckpointRequest {
  /** Folder name, usually from `formatCheckpointName`. */
  readonly name: string;
  readonly epoch: number;
  readonly batch: number;
  readonly globalStep: number;
  /** JSON state the trainer needs to resume exactly (counters, RNG states, data position, history). */
  readonly trainerState: unknown;
  /** JSON for `training_stats.json`. */
  readonly trainingStats: unknown;
  readonly summary: CheckpointSummaryInput;
  /** Writes model and optimiser state into the (empty) checkpoint folder, e.g. `optimizer.save`. */
  readonly writeModelState?: (dir: string) => Promise<void>;
  /** Durable lengths of the run's append-only files (run-relative path → bytes) at this point. */
  readonly appendOnlyFiles: Readonly<Record<string, number>>;
}

/**
 * Saves, lists, loads and prunes the checkpoints of one run directory. A save is crash-safe: it is
 * written under `checkpoints/.tmp-<name>`, synced, renamed into place, and marked complete by its
 * manifest last. One manager per run; saves are serialised.
 */
export class CheckpointManager {
  /** The run directory (holds `checkpoints/`, `datasets/`, `logs/`). */
  readonly runDir: string;
  /** `<runDir>/checkpoints`. */
  readonly checkpointsDir: string;
  private readonly saveTotalLimit: number;
  private readonly now: () => Date;
  private readonly onSaved: CheckpointManagerOptions['onSaved'];
  private queue: Promise<unknown> = Promise.resolve();

  /** Manages `<runDir>/checkpoints`; throws when saveTotalLimit is not a non-negative integer. */
  constructor(runDir: string, options: CheckpointManagerOptions = {}) {
    const limit = options.saveTotalLimit ?? 0;
    if (!Number.isInteger(limit) || limit < 0) {
      throw new RlaifError(`saveTotalLimit must be a non-negative integer, got ${limit}`, {
        hint: 'set training.saveTotalLimit to the number of checkpoints to keep, or 0 to keep all',
      });
    }
    this.runDir = runDir;
    this.checkpointsDir = checkpointsDirOf(runDir);
    this.saveTotalLimit = limit;
    this.now = options.now ?? (() => new Date());
    this.onSaved = options.onSaved;
  }

  /** Writes a complete checkpoint, then applies retention; resolves to the new entry. */
  save(request: SaveCheckpointRequest): Promise<CheckpointEntry> {
    const run = this.queue.then(() => this.saveNow(request));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Complete checkpoints of this run, oldest first. */
  list(): Promise<CheckpointEntry[]> {
    return listCheckpoints(this.runDir);
  }

  /** Loads `'latest'`, a checkpoint name, or a checkpoint path (see `loadCheckpoint`). */
  load(which = 'latest'): Promise<LoadedCheckpoint> {
    return loadCheckpoint(this.runDir, which);
  }

  /** Rewinds the run directory to `manifest` (see `prepareResume`). */
  prepareResume(manifest: CheckpointManifest, options: PrepareResumeOptions = {}): Promise<ResumePreparation> {
    return prepareResume(this.runDir, manifest, options);
  }

  private async saveNow(request: SaveCheckpointRequest): Promise<CheckpointEntry> {
    const finalDir = join(this.checkpointsDir, request.name);
    validateRequest(request, finalDir);
    const payload = {
      [TRAINER_STATE_FILE]: toJson(request.trainerState, TRAINER_STATE_FILE, finalDir),
      [TRAINING_STATS_FILE]: toJson(request.trainingStats, TRAINING_STATS_FILE, finalDir),
      [CHECKPOINT_SUMMARY_FILE]: toJson(this.summaryOf(request), CHECKPOINT_SUMMARY_FILE, finalDir),
    };
    await this.checkAppendOnlyLengths(request, finalDir);
    await mkdir(this.checkpointsDir, { recursive: true });
    await this.removeIncomplete();

    const tempDir = join(this.checkpointsDir, `${CHECKPOINT_TEMP_PREFIX}${request.name}`);
    try {
      await mkdir(tempDir);
      if (request.writeModelState) await request.writeModelState(tempDir);
      for (const [file, json] of Object.entries(payload)) {
        await writeFile(join(tempDir, file), json, { flag: 'wx' }).catch((error: unknown) => {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          throw new CheckpointError(`writeModelState created ${file}, a name the checkpoint manager reserves`, finalDir, {
            hint: `rename that file in the optimizer's save(); ${file}, ${MANIFEST_FILE} and the other *.json summaries belong to the checkpoint`,
          });
        });
      }
      const synced = await syncTree(tempDir);
      // Hashed at write time, while the bytes are still in the page cache; resume and export verify them.
      const files = [];
      for (const file of synced) files.push({ ...file, sha256: await sha256OfFile(join(tempDir, file.path)) });
      if (files.some((file) => file.path === MANIFEST_FILE)) {
        throw new CheckpointError(`writeModelState created ${MANIFEST_FILE}, which marks completion`, finalDir, {
          hint: `rename that file in the optimizer's save()`,
        });
      }
      await this.moveAside(finalDir, `replaced-${request.name}`);
      await rename(tempDir, finalDir);
      await fsyncDirectory(this.checkpointsDir);
      const manifest: CheckpointManifest = {
        formatVersion: MANIFEST_FORMAT_VERSION,
        complete: true,
        name: request.name,
        epoch: request.epoch,
        batch: request.batch,
        globalStep: request.globalStep,
        createdAt: this.now().toISOString(),
        files,
        appendOnlyFiles: { ...request.appendOnlyFiles },
      };
      await writeManifest(finalDir, manifest);
      const entry = { name: request.name, path: finalDir, manifest };
      await this.onSaved?.(entry);
      await this.applyRetention(request.name);
      return entry;
    } catch (error) {
      await rm(tempDir, { recursive: true, force: true }).catch(() => undefined);
      if (RlaifError.isInstance(error)) throw error;
      throw new CheckpointError(`saving the checkpoint failed: ${(error as Error).message}`, finalDir, {
        hint: `check free disk space and write permission in ${this.checkpointsDir}; earlier checkpoints are intact`,
        cause: error,
      });
    }
  }

  private summaryOf(request: SaveCheckpointRequest): Record<string, unknown> {
    const { baselineReward, averageReward, extra } = request.summary;
    return {
      epoch: request.epoch,
      batch: request.batch,
      global_step: request.globalStep,
      baseline_reward: baselineReward,
      reward_gain_from_baseline: baselineReward !== null && averageReward !== null ? averageReward - baselineReward : null,
      avg_reward: averageReward,
      timestamp: this.now().toISOString(),
      ...extra,
    };
  }

  // A manifest recording more bytes than a file holds could never be resumed; refuse it up front.
  private async checkAppendOnlyLengths(request: SaveCheckpointRequest, finalDir: string): Promise<void> {
    for (const [relative, bytes] of Object.entries(request.appendOnlyFiles)) {
      const path = resolveRunPath(this.runDir, relative, finalDir);
      if (!Number.isSafeInteger(bytes) || bytes < 0) {
        throw new CheckpointError(`append-only length of ${relative} must be a byte count, got ${bytes}`, finalDir, {
          hint: 'pass the lengths from DatasetRecorder.durableFiles() / AppendOnlyFile.flush()',
        });
      }
      const actual = await AppendOnlyFile.lengthOf(path);
      if (actual < bytes) {
        throw new CheckpointError(`${relative} has ${actual} bytes on disk but ${bytes} were recorded`, finalDir, {
          hint: 'flush the file (AppendOnlyFile.flush) and record the length it returns, not the buffered length',
        });
      }
    }
  }

  // Folders left by a crash: temp folders and checkpoint-named folders that never got a manifest.
  private async removeIncomplete(): Promise<void> {
    for (const entry of await readdir(this.checkpointsDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = join(this.checkpointsDir, entry.name);
      const stale =
        entry.name.startsWith(CHECKPOINT_TEMP_PREFIX) ||
        (parseCheckpointName(entry.name) !== null && !(await exists(join(path, MANIFEST_FILE))));
      if (stale) await rm(path, { recursive: true, force: true });
    }
  }

  private async applyRetention(justWritten: string): Promise<void> {
    if (this.saveTotalLimit === 0) return;
    const keepOthers = this.saveTotalLimit - (isKeptCheckpointName(justWritten) ? 0 : 1);
    const candidates = (await this.list()).filter((entry) => entry.name !== justWritten && !isKeptCheckpointName(entry.name));
    const excess = candidates.length - Math.max(keepOthers, 0);
    for (const entry of candidates.slice(0, Math.max(excess, 0))) {
      await this.moveAside(entry.path, `deleted-${entry.name}`);
    }
  }

  // Renaming first makes removal atomic: a crash never leaves a half-deleted folder with a manifest.
  private async moveAside(path: string, label: string): Promise<void> {
    if (!(await exists(path))) return;
    const aside = join(this.checkpointsDir, `${CHECKPOINT_TEMP_PREFIX}${label}`);
    await rm(aside, { recursive: true, force: true });
    await rename(path, aside);
    await fsyncDirectory(this.checkpointsDir);
    await rm(aside, { recursive: true, force: true });
  }
}

function validateRequest(request: SaveCheckpointRequest, finalDir: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(request.name)) {
    throw new CheckpointError(`invalid checkpoint name ${JSON.stringify(request.name)}`, finalDir, {
      hint: 'use formatCheckpointName(...), e.g. checkpoint-e1-b4-gs12: letters, digits, ".", "_" and "-" only',
    });
  }
  for (const key of ['epoch', 'batch', 'globalStep'] as const) {
    if (!Number.isSafeInteger(request[key]) || request[key] < 0) {
      throw new CheckpointError(`${key} must be a non-negative integer, got ${request[key]}`, finalDir, {
        hint: 'pass the trainer counters unchanged',
      });
    }
  }
}

function toJson(value: unknown, file: string, finalDir: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value, null, 2);
  } catch (error) {
    throw new CheckpointError(`${file} content is not serialisable: ${(error as Error).message}`, finalDir, {
      hint: 'keep trainer state and stats to plain JSON: numbers, strings, arrays, objects (no BigInt, no cycles)',
      cause: error,
    });
  }
  if (json === undefined) {
    throw new CheckpointError(`${file} content is ${typeof value}, not JSON`, finalDir, {
      hint: 'pass a plain object (use {} when there is nothing to store)',
    });
  }
  return `${json}\n`;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
