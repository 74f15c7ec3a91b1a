/** AdamW state on disk in the format of core's backend kit (adamw-state-format.ts), tensors as Float32Arrays. */
import path from 'node:path';
import { adamWMoments, momentKeys, OPTIMIZER_RESUME_HINT, OPTIMIZER_TENSORS_FILE, readAdamWJson, writeAdamWJson } from '@rlaif/core';
import { saveSafetensorsAtomic } from '../checkpoint/atomic-write.js';
import { readCheckpointTensors } from '../checkpoint/read-checkpoint-tensors.js';
import type { TensorToWrite } from '../safetensors/write-tensors.js';
import type { AdamW, AdamWState } from './adamw.js';

/** Writes the optimizer's moments and step count into `dir`. */
export async function saveAdamWState(optimizer: AdamW, dir: string): Promise<void> {
  const state = optimizer.state();
  const tensors = new Map<string, TensorToWrite>();
  state.names.forEach((name, i) => {
    const keys = momentKeys(name);
    tensors.set(keys.first, { shape: state.shapes[i]!, data: state.m[i]! });
    tensors.set(keys.second, { shape: state.shapes[i]!, data: state.v[i]! });
  });
  if (state.names.length > 0) await saveSafetensorsAtomic(path.join(dir, OPTIMIZER_TENSORS_FILE), tensors);
  const { betas, epsilon, weightDecay } = optimizer.options;
  await writeAdamWJson(dir, { step: state.step, parameters: state.names, betas, epsilon, weightDecay });
}

/** Reads what `saveAdamWState` (of either engine) wrote; a missing file is a CheckpointError naming it. */
export async function loadAdamWState(dir: string): Promise<AdamWState> {
  const json = await readAdamWJson(dir);
  if (json.parameters.length === 0) return { step: json.step, names: [], shapes: [], m: [], v: [] };
  const tensorPath = path.join(dir, OPTIMIZER_TENSORS_FILE);
  const tensors = await readCheckpointTensors(tensorPath, OPTIMIZER_RESUME_HINT);
  const moments = adamWMoments(json, tensorPath, (key) => tensors.get(key));
  return { step: json.step, names: json.parameters, shapes: moments.m.map((tensor) => tensor.shape), m: moments.m.map((t) => t.data), v: moments.v.map((t) => t.data) };
}
