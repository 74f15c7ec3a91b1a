/** Crash-safe safetensors writes with MLX's own writer: a temporary sibling, fsync, rename, fsync the folder. */
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { core as mx } from '@frost-beta/mlx';
import { ATOMIC_TEMP_PREFIX, fsyncDirectory } from '@rlaif/core';

/** Saves tensors as safetensors so readers see either the old or the complete new file (MLX writes the temporary file). */
export async function saveSafetensorsAtomic(
  file: string,
  tensors: Record<string, mx.array>,
  metadata?: Record<string, string>,
): Promise<void> {
  const dir = path.dirname(file);
  // MLX appends `.safetensors` to names without it, so the temporary name keeps the extension.
  const tmp = path.join(dir, `${ATOMIC_TEMP_PREFIX}${path.basename(file, '.safetensors')}.${process.pid}.safetensors`);
  try {
    mx.saveSafetensors(tmp, tensors, metadata);
    const handle = await open(tmp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await fsyncDirectory(dir);
}
