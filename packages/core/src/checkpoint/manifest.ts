import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CheckpointError } from '../errors/rlaif-error.js';
import { writeJsonAtomic } from '../io/atomic-write.js';
import { sha256OfFile } from '../io/file-checksum.js';

/** The completion marker of a checkpoint directory; written last, so its presence means complete. */
export const MANIFEST_FILE = 'manifest.json';
/** Version of the manifest layout below; bumped on incompatible change. */
export const MANIFEST_FORMAT_VERSION = 1;

const manifestSchema = z.object({
  formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
  complete: z.literal(true),
  name: z.string().min(1),
  epoch: z.number().int().nonnegative(),
  batch: z.number().int().nonnegative(),
  globalStep: z.number().int().nonnegative(),
  createdAt: z.string().min(1),
  // sha256 is absent in checkpoints written before rlaif recorded checksums; those verify by size only.
  files: z.array(z.object({ path: z.string().min(1), bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/).optional() })),
  appendOnlyFiles: z.record(z.string(), z.number().int().nonnegative()),
});

/**
 * What a complete checkpoint holds. `files` lists every file of the directory except the manifest
 * (paths relative to it, with size and SHA-256); `appendOnlyFiles` maps run-relative paths (`datasets/train.jsonl`) to
 * the byte length they had when the checkpoint was taken, which resume truncates them back to.
 */
export type CheckpointManifest = z.infer<typeof manifestSchema>;

/** Publishes `manifest` into `checkpointDir` atomically, marking the checkpoint complete. */
export async function writeManifest(checkpointDir: string, manifest: CheckpointManifest): Promise<void> {
  await writeJsonAtomic(join(checkpointDir, MANIFEST_FILE), manifest);
}

/**
 * Reads and validates a checkpoint's manifest, then checks every listed file is present with its
 * recorded size. Throws CheckpointError (with a hint) for a missing, incomplete or corrupt checkpoint.
 */
export async function readManifest(checkpointDir: string): Promise<CheckpointManifest> {
  const path = join(checkpointDir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const exists = await stat(checkpointDir).then(
      () => true,
      () => false,
    );
    throw new CheckpointError(
      exists ? `incomplete checkpoint: no ${MANIFEST_FILE} (${code ?? 'unreadable'})` : 'checkpoint directory not found',
      checkpointDir,
      {
        hint: exists
          ? 'the run stopped while saving it; resume from "latest", which skips incomplete checkpoints'
          : 'check the path, or list the run\'s checkpoints/ directory and pass one of its checkpoint-* folders',
        cause: error,
      },
    );
  }
  let manifest: CheckpointManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new CheckpointError(`corrupt ${MANIFEST_FILE}: ${(error as Error).message}`, checkpointDir, {
      hint: 'resume from an earlier checkpoint; this one cannot be trusted',
      cause: error,
    });
  }
  for (const file of manifest.files) {
    const bytes = await stat(join(checkpointDir, file.path)).then(
      (stats) => stats.size,
      () => undefined,
    );
    if (bytes !== file.bytes) {
      throw new CheckpointError(
        `${file.path} is ${bytes === undefined ? 'missing' : `${bytes} bytes`} but ${MANIFEST_FILE} records ${file.bytes} bytes`,
        checkpointDir,
        { hint: 'the checkpoint was modified or partly deleted after saving; resume from an earlier checkpoint' },
      );
    }
  }
  return manifest;
}

/**
 * Hashes every file the manifest lists a checksum for and compares: a CheckpointError naming the first
 * damaged file. Reads the whole checkpoint, so callers use it before resuming or exporting, not to list.
 */
export async function verifyChecksums(checkpointDir: string, manifest: CheckpointManifest): Promise<void> {
  for (const file of manifest.files) {
    if (file.sha256 === undefined) continue;
    const path = join(checkpointDir, file.path);
    const actual = await sha256OfFile(path);
    if (actual !== file.sha256) {
      throw new CheckpointError(`the file is damaged: its SHA-256 differs from the one ${MANIFEST_FILE} recorded when checkpoint ${manifest.name} was saved`, path, {
        hint: 'resume with --resume latest-intact to use the newest checkpoint that verifies, or pass an earlier checkpoint-* folder',
      });
    }
  }
}
