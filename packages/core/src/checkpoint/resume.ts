import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointError } from '../errors/rlaif-error.js';
import { AppendOnlyFile } from '../io/append-only-file.js';
import { fsyncDirectory } from '../io/fsync-directory.js';
import { compareTrainingPosition, listCheckpoints } from './catalog.js';
import type { CheckpointManifest } from './manifest.js';
import { CHECKPOINT_TEMP_PREFIX, checkpointsDirOf, resolveRunPath } from './run-paths.js';

/** Extra knowledge `prepareResume` needs about the run's files. */
export interface PrepareResumeOptions {
  /**
   * Run-relative append-only files the run writes (e.g. `DatasetRecorder.files`). Any of them that
   * the manifest does not record was created after the checkpoint, so it is truncated to 0 bytes.
   */
  readonly knownAppendOnlyFiles?: readonly string[];
}

/** What `prepareResume` changed on disk. */
export interface ResumePreparation {
  /** Files cut back, with their length before and after. */
  readonly truncated: readonly { readonly path: string; readonly fromBytes: number; readonly toBytes: number }[];
  /** Checkpoints later than the resumed one, deleted because their data no longer exists. */
  readonly removedCheckpoints: readonly string[];
}

/**
 * Rewinds a run directory to the moment `manifest` was taken, so the resumed run appends every row
 * exactly once: later checkpoints are deleted first (they describe rows about to disappear), then
 * every recorded append-only file is truncated to its recorded length, which also drops a torn last
 * line. A file shorter than recorded means data was lost: CheckpointError, and nothing is changed.
 * Call it before opening any AppendOnlyFile of the run.
 */
export async function prepareResume(
  runDir: string,
  manifest: CheckpointManifest,
  options: PrepareResumeOptions = {},
): Promise<ResumePreparation> {
  const checkpointDir = join(checkpointsDirOf(runDir), manifest.name);
  const targets = new Map<string, number>();
  for (const relative of options.knownAppendOnlyFiles ?? []) targets.set(relative, 0);
  for (const [relative, bytes] of Object.entries(manifest.appendOnlyFiles)) targets.set(relative, bytes);

  const plan: { path: string; fromBytes: number; toBytes: number }[] = [];
  for (const [relative, bytes] of targets) {
    const path = resolveRunPath(runDir, relative, checkpointDir);
    const length = await AppendOnlyFile.lengthOf(path);
    if (length < bytes) {
      throw new CheckpointError(`${relative} has ${length} bytes but checkpoint ${manifest.name} recorded ${bytes}; data was lost`, path, {
        hint: `restore ${relative} from a backup, or resume from an earlier checkpoint (nothing was changed)`,
      });
    }
    if (length > bytes) plan.push({ path, fromBytes: length, toBytes: bytes });
  }

  const removedCheckpoints: string[] = [];
  for (const entry of await listCheckpoints(runDir)) {
    if (compareTrainingPosition(entry.manifest, manifest) <= 0 || entry.name === manifest.name) continue;
    const aside = join(checkpointsDirOf(runDir), `${CHECKPOINT_TEMP_PREFIX}abandoned-${entry.name}`);
    await rm(aside, { recursive: true, force: true });
    await rename(entry.path, aside);
    await fsyncDirectory(checkpointsDirOf(runDir));
    await rm(aside, { recursive: true, force: true });
    removedCheckpoints.push(entry.name);
  }

  for (const step of plan) await AppendOnlyFile.truncateTo(step.path, step.toBytes);
  return { truncated: plan, removedCheckpoints };
}
