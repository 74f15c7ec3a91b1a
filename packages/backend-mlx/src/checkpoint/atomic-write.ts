/** Crash-safe file writes: write a temporary sibling, fsync it, then rename over the target. */
import { open, rename } from 'node:fs/promises';
import path from 'node:path';
import { core as mx } from '@frost-beta/mlx';

/** Writes `data` to `file` so readers see either the old or the complete new content. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}

/** Saves tensors as safetensors atomically (MLX writes the temporary file, we sync and rename). */
export async function saveSafetensorsAtomic(
  file: string,
  tensors: Record<string, mx.array>,
  metadata?: Record<string, string>,
): Promise<void> {
  // MLX appends `.safetensors` to names without it, so the temporary name keeps the extension.
  const tmp = path.join(path.dirname(file), `.${path.basename(file, '.safetensors')}.${process.pid}.tmp.safetensors`);
  mx.saveSafetensors(tmp, tensors, metadata);
  const handle = await open(tmp, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}
