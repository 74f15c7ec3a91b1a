/**
 * Checkpoints of full fine-tuning, in backend-mlx's layout: the whole model as a Hugging Face folder
 * (config.json, model.safetensors, tokenizer files), so a checkpoint is itself a model that either
 * engine, transformers and `rlaif export` load like any other.
 */
import { access, copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CheckpointError, writeFileAtomic } from '@rlaif/core';
import { tf } from '../engine/tf.js';
import type { DecoderForCausalLM } from '../models/causal-lm.js';
import type { TensorToWrite } from '../safetensors/write-tensors.js';
import { saveSafetensorsAtomic } from './atomic-write.js';
import { ADAPTER_CONFIG_FILE } from './peft-adapter.js';
import { readCheckpointTensors } from './read-checkpoint-tensors.js';

export const FULL_MODEL_WEIGHTS_FILE = 'model.safetensors';
/** The KL reference of full fine-tuning (the weights at the first policy-gradient step). */
export const REFERENCE_WEIGHTS_FILE = 'reference_weights.safetensors';

/** Tokenizer and generation files copied next to saved models when the base has them (as backend-mlx's export). */
export const MODEL_SIDE_FILES = [
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.json',
  'merges.txt',
  'tokenizer.model',
  'chat_template.jinja',
  'generation_config.json',
];

/** Writes every weight of `model` (float32, the dtype it trains in) with config and tokenizer into `dir`. */
export async function saveFullModel(dir: string, model: DecoderForCausalLM, sourceDir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await saveNamedTensors(path.join(dir, FULL_MODEL_WEIGHTS_FILE), model.weights, { format: 'pt' });
  const config = JSON.parse(await readFile(path.join(sourceDir, 'config.json'), 'utf8')) as Record<string, unknown>;
  config['torch_dtype'] = 'float32';
  delete config['quantization_config'];
  await writeFileAtomic(path.join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  for (const name of MODEL_SIDE_FILES) {
    try {
      await copyFile(path.join(sourceDir, name), path.join(dir, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
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

/** Replaces the weights of `model` with those saved in `dir` (by either engine). */
export async function loadFullModel(dir: string, model: DecoderForCausalLM): Promise<void> {
  const file = path.join(dir, FULL_MODEL_WEIGHTS_FILE);
  const saved = await readCheckpointTensors(file, 'resume from a complete checkpoint of a full fine-tuning run (model.finetuning: full)');
  const shapes = model.parameterShapes();
  for (const name of saved.keys()) {
    // Tied checkpoints written by other tools may still carry lm_head.weight.
    if (!shapes.has(name) && name !== 'lm_head.weight') {
      throw new CheckpointError(`the checkpoint has a weight the model lacks: ${name}`, file, { hint: 'the checkpoint belongs to another model: check model.name' });
    }
  }
  const missing = [...shapes.keys()].filter((name) => !saved.has(name));
  if (missing.length > 0) {
    throw new CheckpointError(`the checkpoint lacks ${missing.length} weights of the model (first: ${missing[0]})`, file, {
      hint: "a LoRA run's checkpoint cannot resume full fine-tuning: set model.finetuning to match the run that wrote it",
    });
  }
  for (const [name, shape] of shapes) {
    const tensor = saved.get(name)!;
    if (tensor.shape.join() !== shape.join()) {
      throw new CheckpointError(`${name} is ${tensor.shape.join('x')} in the checkpoint but ${shape.join('x')} in the model`, file, { hint: 'the checkpoint belongs to another model: check model.name' });
    }
    tf.tidy(() => model.weights.get(name)!.assign(tf.tensor(tensor.data, shape, 'float32')));
  }
}

/** Saves named tensors (HF-named weights, or the KL reference snapshot) as float32 safetensors. */
export async function saveNamedTensors(file: string, tensors: ReadonlyMap<string, tf.Tensor>, metadata?: Record<string, string>): Promise<void> {
  const out = new Map<string, TensorToWrite>();
  for (const [name, tensor] of tensors) out.set(name, { shape: tensor.shape, data: tensor.dataSync() as Float32Array });
  await saveSafetensorsAtomic(file, out, metadata);
}

/** Reads tensors saved by `saveNamedTensors` as new tensors (the caller owns them). */
export async function loadNamedTensors(file: string): Promise<Map<string, tf.Tensor>> {
  const saved = await readCheckpointTensors(file, 'the checkpoint is damaged: resume from an earlier one');
  return new Map([...saved].map(([name, t]) => [name, tf.tensor(t.data, [...t.shape], 'float32')]));
}
