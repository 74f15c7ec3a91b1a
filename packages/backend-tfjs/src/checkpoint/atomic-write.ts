/** Crash-safe safetensors writes (core's writeFileAtomic around this package's encoder). */
import { writeFileAtomic } from '@rlaif/core';
import { encodeSafetensors, type TensorToWrite } from '../safetensors/write-tensors.js';

/** Saves float32 tensors as a safetensors file atomically. */
export async function saveSafetensorsAtomic(file: string, tensors: ReadonlyMap<string, TensorToWrite>, metadata?: Record<string, string>): Promise<void> {
  await writeFileAtomic(file, encodeSafetensors(tensors, metadata));
}
