import { readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { CheckpointError, RlaifError } from '../errors/rlaif-error.js';
import type { CheckpointManifest } from './manifest.js';
import { readManifest, verifyChecksums } from './manifest.js';
import { CHECKPOINT_TEMP_PREFIX, checkpointsDirOf } from './run-paths.js';

/** Holds the trainer's resumable state (counters, RNG states, data position, metric history). */
export const TRAINER_STATE_FILE = 'trainer_state.json';

/** A complete checkpoint found on disk. */
export interface CheckpointEntry {
  /** Directory name, e.g. `checkpoint-e1-b4-gs12`. */
  readonly name: string;
  /** Directory path; pass it to `Optimizer.load`. */
  readonly path: string;
  readonly manifest: CheckpointManifest;
}

/** A checkpoint ready to resume from. */
export interface LoadedCheckpoint extends CheckpointEntry {
  /** What the trainer passed as `trainerState` to `save`; the caller validates its shape. */
  readonly trainerState: unknown;
  /** With `latest-intact`: newer checkpoints passed over because they failed verification, newest first. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

/** `--resume` value that takes the newest checkpoint passing verification instead of refusing a damaged newest one. */
export const LATEST_INTACT = 'latest-intact';

/**
 * The complete checkpoints of a run, oldest first (by global step, then epoch, batch and time).
 * Temp folders, folders without a valid manifest and stray files are skipped.
 */
export async function listCheckpoints(runDir: string): Promise<CheckpointEntry[]> {
  const dir = checkpointsDirOf(runDir);
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: CheckpointEntry[] = [];
  for (const name of names) {
    if (name.startsWith(CHECKPOINT_TEMP_PREFIX) || name.startsWith('.')) continue;
    const path = join(dir, name);
    try {
      entries.push({ name, path, manifest: await readManifest(path) });
    } catch (error) {
      if (!RlaifError.isInstance(error)) throw error;
    }
  }
  return entries.sort((a, b) => compareCheckpoints(a.manifest, b.manifest) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The newest complete checkpoint by global step, or null when the run has none. */
export async function findLatestCheckpoint(runDir: string): Promise<CheckpointEntry | null> {
  const entries = await listCheckpoints(runDir);
  return entries[entries.length - 1] ?? null;
}

/**
 * Loads `which`: `'latest'`, `'latest-intact'`, a checkpoint folder name inside the run, or a path to a
 * checkpoint folder, after verifying every file against the manifest's sizes and checksums. A missing,
 * incomplete or damaged checkpoint is a CheckpointError naming the file; `'latest-intact'` instead falls
 * back to the newest checkpoint that verifies and reports the ones it passed over in `skipped`.
 */
export async function loadCheckpoint(runDir: string, which = 'latest'): Promise<LoadedCheckpoint> {
  if (which === LATEST_INTACT) return loadLatestIntact(runDir);
  let path: string;
  if (which === 'latest') {
    const latest = await findLatestCheckpoint(runDir);
    if (latest === null) throw noCheckpoint(runDir);
    path = latest.path;
  } else {
    path = /[/\\]/.test(which) ? resolve(which) : join(checkpointsDirOf(runDir), which);
  }
  return { ...(await loadVerified(path)), skipped: [] };
}

async function loadLatestIntact(runDir: string): Promise<LoadedCheckpoint> {
  const skipped: { name: string; reason: string }[] = [];
  for (const entry of (await listCheckpoints(runDir)).reverse()) {
    try {
      return { ...(await loadVerified(entry.path)), skipped };
    } catch (error) {
      if (!RlaifError.isInstance(error)) throw error;
      skipped.push({ name: entry.name, reason: error.message.split('\n')[0]! });
    }
  }
  if (skipped.length === 0) throw noCheckpoint(runDir);
  throw new CheckpointError(`no checkpoint verifies: ${skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}`, checkpointsDirOf(runDir), {
    hint: 'every checkpoint of this run is damaged: start the run again without --resume (use --overwrite), after checking the disk',
  });
}

async function loadVerified(path: string): Promise<Omit<LoadedCheckpoint, 'skipped'>> {
  const manifest = await readManifest(path);
  await verifyChecksums(path, manifest);
  const statePath = join(path, TRAINER_STATE_FILE);
  let trainerState: unknown;
  try {
    trainerState = JSON.parse(await readFile(statePath, 'utf8'));
  } catch (error) {
    throw new CheckpointError(`cannot read ${TRAINER_STATE_FILE}: ${(error as Error).message}`, path, {
      hint: 'this checkpoint holds no usable trainer state; resume from an earlier checkpoint',
      cause: error,
    });
  }
  return { name: basename(path), path, manifest, trainerState };
}

function noCheckpoint(runDir: string): CheckpointError {
  return new CheckpointError('no complete checkpoint to resume from', checkpointsDirOf(runDir), {
    hint: 'start the run without resume, or check training.outputDir points at the run you mean',
  });
}

/** Orders checkpoints in training time: global step, then epoch, then batch, then creation time. */
export function compareCheckpoints(a: CheckpointManifest, b: CheckpointManifest): number {
  return compareTrainingPosition(a, b) || (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0);
}

/** Orders checkpoints by where training was: global step, then epoch, then batch (0 = same point). */
export function compareTrainingPosition(a: CheckpointManifest, b: CheckpointManifest): number {
  return a.globalStep - b.globalStep || a.epoch - b.epoch || a.batch - b.batch;
}
