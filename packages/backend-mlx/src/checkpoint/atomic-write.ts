/** Crash-safe safetensors writes with MLX's own writer (core's replaceFileAtomic around it). */
import { core as mx } from '@frost-beta/mlx';
import { replaceFileAtomic } from '@rlaif/core';

/** Saves tensors as safetensors so readers see either the old or the complete new file. */
export async function saveSafetensorsAtomic(file: string, tensors: Record<string, mx.array>, metadata?: Record<string, string>): Promise<void> {
  // The temporary name ends with the file's own, so MLX (which appends `.safetensors` to names without it) writes it as given.
  await replaceFileAtomic(file, (temp) => mx.saveSafetensors(temp, tensors, metadata));
}
