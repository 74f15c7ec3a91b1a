/** Crash-safe file writes: write a temporary sibling, fsync it, then rename over the target. */
import { open, rename } from 'node:fs/promises';
import path from 'node:path';
import { encodeSafetensors, type TensorToWrite } from '../safetensors/write-tensors.js';

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

/** Saves float32 tensors as a safetensors file atomically. */
export async function saveSafetensorsAtomic(file: string, tensors: ReadonlyMap<string, TensorToWrite>, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(file, encodeSafetensors(tensors, metadata));
}
