/** AdamW state on disk in the format of core's backend kit (adamw-state-format.ts), tensors through MLX. */
import path from 'node:path';
import { core as mx } from '@frost-beta/mlx';
import { adamWMoments, CheckpointError, momentKeys, OPTIMIZER_RESUME_HINT, OPTIMIZER_TENSORS_FILE, readAdamWJson, writeAdamWJson } from '@rlaif/core';
import { saveSafetensorsAtomic } from '../checkpoint/atomic-write.js';
import type { AdamW, AdamWState } from './adamw.js';

/** Writes the optimizer's moments and step count into `dir`. */
export async function saveAdamWState(optimizer: AdamW, dir: string): Promise<void> {
  const state = optimizer.state();
  const tensors: Record<string, mx.array> = {};
  state.names.forEach((name, i) => {
    const keys = momentKeys(name);
    tensors[keys.first] = state.m[i]!;
    tensors[keys.second] = state.v[i]!;
  });
  if (state.names.length > 0) await saveSafetensorsAtomic(path.join(dir, OPTIMIZER_TENSORS_FILE), tensors);
  const { betas, epsilon, weightDecay } = optimizer.options;
  await writeAdamWJson(dir, { step: state.step, parameters: state.names, betas, epsilon, weightDecay });
}

/** Reads what `saveAdamWState` (of either engine) wrote; a missing file is a CheckpointError naming it. */
export async function loadAdamWState(dir: string): Promise<AdamWState> {
  const json = await readAdamWJson(dir);
  if (json.parameters.length === 0) return { step: json.step, names: [], m: [], v: [] };
  const tensorPath = path.join(dir, OPTIMIZER_TENSORS_FILE);
  let tensors: Record<string, mx.array>;
  try {
    tensors = mx.load(tensorPath) as unknown as Record<string, mx.array>;
  } catch (cause) {
    throw new CheckpointError('optimizer moments are missing or unreadable', tensorPath, { hint: OPTIMIZER_RESUME_HINT, cause });
  }
  return { step: json.step, names: json.parameters, ...adamWMoments(json, tensorPath, (key) => tensors[key]) };
}
