/**
 * Checkpoints of full fine-tuning: the whole model as a Hugging Face folder (config.json,
 * model.safetensors, tokenizer files), so a checkpoint is itself a model that `rlaif generate
 * --model`, transformers and `rlaif export` load like any other.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { nn } from '@frost-beta/mlx';
import { core as mx, utils } from '@frost-beta/mlx';
import { CheckpointError } from '@rlaif/core';
import { writeMergedModel } from '../export/export-checkpoint.js';
import type { MergeDtype } from '../lora/merge-lora.js';
import { saveSafetensorsAtomic } from './atomic-write.js';
import { ADAPTER_CONFIG_FILE } from './peft-adapter.js';

export const FULL_MODEL_WEIGHTS_FILE = 'model.safetensors';
/** The KL reference of full fine-tuning (the weights at the first policy-gradient step). */
export const REFERENCE_WEIGHTS_FILE = 'reference_weights.safetensors';

/** Where the model came from and how to store it. */
export interface FullModelMetadata {
  /** The loaded model folder: config.json and the tokenizer files are copied from it. */
  readonly sourceDir: string;
  /** Storage dtype of the saved weights (the training dtype, so nothing is lost). */
  readonly dtype: MergeDtype;
}

/** Writes every weight of `model` with config and tokenizer into `dir`. */
export async function saveFullModel(dir: string, model: nn.Module, meta: FullModelMetadata): Promise<void> {
  await writeMergedModel(model, meta.sourceDir, dir, meta.dtype);
}

/** Whether `dir` holds a whole model (full fine-tuning) rather than a PEFT adapter. */
export async function isFullModelCheckpoint(dir: string): Promise<boolean> {
  const exists = (name: string) =>
    access(path.join(dir, name)).then(
      () => true,
      () => false,
    );
  return (await exists(FULL_MODEL_WEIGHTS_FILE)) && !(await exists(ADAPTER_CONFIG_FILE));
}

/** Replaces the weights of `model` with those saved in `dir` by `saveFullModel`, keeping each parameter's dtype. */
export async function loadFullModel(dir: string, model: nn.Module): Promise<void> {
  const file = path.join(dir, FULL_MODEL_WEIGHTS_FILE);
  const current = new Map(utils.treeFlatten(model.parameters(), '', undefined, utils.toSnakeCase) as [string, mx.array][]);
  const saved = readTensors(file, 'resume from a complete checkpoint of a full fine-tuning run (model.finetuning: full)');
  const weights: [string, mx.array][] = [];
  for (const [name, tensor] of Object.entries(saved)) {
    const target = current.get(name);
    // Tied checkpoints written by other tools may still carry lm_head.weight.
    if (!target) {
      if (name === 'lm_head.weight') continue;
      throw new CheckpointError(`the checkpoint has a weight the model lacks: ${name}`, file, {
        hint: 'the checkpoint belongs to another model: check model.name',
      });
    }
    weights.push([name, tensor.dtype === target.dtype ? tensor : tensor.astype(target.dtype)]);
  }
  const missing = [...current.keys()].filter((name) => !(name in saved));
  if (missing.length > 0) {
    throw new CheckpointError(`the checkpoint lacks ${missing.length} weights of the model (first: ${missing[0]})`, file, {
      hint: "a LoRA run's checkpoint cannot resume full fine-tuning: set model.finetuning to match the run that wrote it",
    });
  }
  model.loadWeights(weights, true);
  mx.eval(model.parameters());
}

/** Saves named arrays (the KL reference snapshot). */
export async function saveNamedWeights(file: string, names: readonly string[], values: readonly mx.array[]): Promise<void> {
  const tensors: Record<string, mx.array> = {};
  names.forEach((name, i) => (tensors[name] = values[i]!));
  await saveSafetensorsAtomic(file, tensors, { format: 'mlx' });
}

/** Reads arrays saved by `saveNamedWeights` in the order of `names`. */
export function loadNamedWeights(file: string, names: readonly string[]): mx.array[] {
  const tensors = readTensors(file, 'the checkpoint is damaged: resume from an earlier one');
  return names.map((name) => {
    const tensor = tensors[name];
    if (!tensor) throw new CheckpointError(`the reference weights lack ${name}`, file, { hint: 'resume from a checkpoint written by this model' });
    return tensor;
  });
}

function readTensors(file: string, hint: string): Record<string, mx.array> {
  try {
    return mx.load(file) as unknown as Record<string, mx.array>;
  } catch (cause) {
    throw new CheckpointError('cannot read the safetensors file', file, { hint, cause });
  }
}
