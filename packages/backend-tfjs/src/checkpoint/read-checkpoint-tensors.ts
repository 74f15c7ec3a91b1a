import { CheckpointError } from '@rlaif/core';
import { readSafetensorsHeader } from '@rlaif/hf';
import { readFloat32Tensors, type Float32Tensor } from '../safetensors/read-tensors.js';

/** Every tensor of a checkpoint's safetensors file as float32; an unreadable file is a CheckpointError with `hint`. */
export async function readCheckpointTensors(file: string, hint: string): Promise<Map<string, Float32Tensor>> {
  try {
    return await readFloat32Tensors(await readSafetensorsHeader(file));
  } catch (cause) {
    throw new CheckpointError('cannot read the safetensors file', file, { hint, cause });
  }
}
