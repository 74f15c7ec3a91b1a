import { isAbsolute, join } from 'node:path';
import { CheckpointError } from '../errors/rlaif-error.js';

/** Folder of a run directory that holds the checkpoints. */
export const CHECKPOINTS_DIR = 'checkpoints';
/** Prefix of checkpoint folders still being written, replaced or deleted; never listed, cleaned on save. */
export const CHECKPOINT_TEMP_PREFIX = '.tmp-';

/** The checkpoints folder of `runDir`. */
export function checkpointsDirOf(runDir: string): string {
  return join(runDir, CHECKPOINTS_DIR);
}

/**
 * Resolves a run-relative, `/`-separated path (`datasets/train.jsonl`) inside `runDir`.
 * Absolute paths and `..` segments are refused: a manifest must not reach outside its run.
 */
export function resolveRunPath(runDir: string, relativePath: string, context: string): string {
  const segments = relativePath.split('/');
  if (relativePath === '' || isAbsolute(relativePath) || relativePath.includes('\\') || segments.some((part) => part === '..' || part === '')) {
    throw new CheckpointError(`append-only file path ${JSON.stringify(relativePath)} must be relative to the run directory`, context, {
      hint: 'record paths like "datasets/train.jsonl": /-separated, no leading /, no ".." segments',
    });
  }
  return join(runDir, ...segments);
}
