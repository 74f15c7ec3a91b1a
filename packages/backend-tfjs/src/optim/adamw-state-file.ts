/**
 * AdamW state on disk, in backend-mlx's format: `optimizer.safetensors` (moments as `exp_avg.<param>`
 * and `exp_avg_sq.<param>`, PyTorch's names) and `optimizer.json` (step count and hyper-parameters).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CheckpointError } from '@rlaif/core';
import { saveSafetensorsAtomic, writeFileAtomic } from '../checkpoint/atomic-write.js';
import { readCheckpointTensors } from '../checkpoint/read-checkpoint-tensors.js';
import type { TensorToWrite } from '../safetensors/write-tensors.js';
import type { AdamW, AdamWState } from './adamw.js';

export const OPTIMIZER_TENSORS_FILE = 'optimizer.safetensors';
export const OPTIMIZER_JSON_FILE = 'optimizer.json';

interface OptimizerJson {
  readonly format: 'rlaif-adamw-v1';
  readonly step: number;
  readonly parameters: readonly string[];
  readonly betas: readonly [number, number];
  readonly epsilon: number;
  readonly weightDecay: number;
}

/** Writes the optimizer's moments and step count into `dir`. */
export async function saveAdamWState(optimizer: AdamW, dir: string): Promise<void> {
  const state = optimizer.state();
  const tensors = new Map<string, TensorToWrite>();
  state.names.forEach((name, i) => {
    tensors.set(`exp_avg.${name}`, { shape: state.shapes[i]!, data: state.m[i]! });
    tensors.set(`exp_avg_sq.${name}`, { shape: state.shapes[i]!, data: state.v[i]! });
  });
  const json: OptimizerJson = {
    format: 'rlaif-adamw-v1',
    step: state.step,
    parameters: state.names,
    betas: optimizer.options.betas,
    epsilon: optimizer.options.epsilon,
    weightDecay: optimizer.options.weightDecay,
  };
  if (state.names.length > 0) await saveSafetensorsAtomic(path.join(dir, OPTIMIZER_TENSORS_FILE), tensors);
  await writeFileAtomic(path.join(dir, OPTIMIZER_JSON_FILE), `${JSON.stringify(json, null, 2)}\n`);
}

/** Reads what `saveAdamWState` (of either engine) wrote; a missing file is a CheckpointError naming it. */
export async function loadAdamWState(dir: string): Promise<AdamWState> {
  const jsonPath = path.join(dir, OPTIMIZER_JSON_FILE);
  let json: OptimizerJson;
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8')) as OptimizerJson;
  } catch (cause) {
    throw new CheckpointError('optimizer state is missing or not valid JSON', jsonPath, {
      hint: 'resume from a complete checkpoint directory (one written by Optimizer.save)',
      cause,
    });
  }
  if (json.format !== 'rlaif-adamw-v1') {
    throw new CheckpointError(`unknown optimizer state format ${String(json.format)}`, jsonPath, {
      hint: 'this checkpoint was written by another tool; start the optimizer fresh',
    });
  }
  if (json.parameters.length === 0) return { step: json.step, names: [], shapes: [], m: [], v: [] };
  const tensorPath = path.join(dir, OPTIMIZER_TENSORS_FILE);
  const tensors = await readCheckpointTensors(tensorPath, 'resume from a complete checkpoint directory (one written by Optimizer.save)');
  const pick = (key: string) => {
    const value = tensors.get(key);
    if (!value) {
      throw new CheckpointError(`tensor ${key} is missing`, tensorPath, {
        hint: 'the checkpoint does not match this model/LoRA configuration (model.lora.* must be unchanged on resume)',
      });
    }
    return value;
  };
  return {
    step: json.step,
    names: json.parameters,
    shapes: json.parameters.map((n) => pick(`exp_avg.${n}`).shape),
    m: json.parameters.map((n) => pick(`exp_avg.${n}`).data),
    v: json.parameters.map((n) => pick(`exp_avg_sq.${n}`).data),
  };
}
