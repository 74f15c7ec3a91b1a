/**
 * LoRA adapters in PEFT's on-disk layout, byte-compatible with backend-mlx's: `adapter_config.json`
 * (peft_type LORA, r, lora_alpha, …) and `adapter_model.safetensors` with keys
 * `base_model.model.<module path>.lora_A.weight` [r, in] and `.lora_B.weight` [out, r].
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CheckpointError } from '@rlaif/core';
import type { DecoderForCausalLM } from '../models/causal-lm.js';
import type { TensorToWrite } from '../safetensors/write-tensors.js';
import { saveSafetensorsAtomic, writeFileAtomic } from './atomic-write.js';
import { readCheckpointTensors } from './read-checkpoint-tensors.js';

export const ADAPTER_CONFIG_FILE = 'adapter_config.json';
export const ADAPTER_WEIGHTS_FILE = 'adapter_model.safetensors';
const KEY_PREFIX = 'base_model.model.';

/** The fields of PEFT's LoraConfig that rlaif reads back. */
export interface PeftAdapterConfig {
  readonly peft_type: 'LORA';
  readonly r: number;
  readonly lora_alpha: number;
  readonly lora_dropout: number;
  readonly target_modules: readonly string[];
  readonly base_model_name_or_path: string;
}

/** What to record about the adapter beyond its tensors. */
export interface AdapterMetadata {
  readonly rank: number;
  readonly alpha: number;
  readonly dropout: number;
  readonly baseModelNameOrPath: string;
  /** The adapted module names (`q_proj`, …), sorted. */
  readonly targetModules: readonly string[];
}

/** PEFT tensor name of one adapter matrix. */
export function peftKey(modulePath: string, matrix: 'lora_A' | 'lora_B'): string {
  return `${KEY_PREFIX}${modulePath}.${matrix}.weight`;
}

/** Writes every adapter of `model` into `dir`. */
export async function savePeftAdapter(dir: string, model: DecoderForCausalLM, meta: AdapterMetadata): Promise<void> {
  const tensors = new Map<string, TensorToWrite>();
  for (const [modulePath, adapter] of model.adapters) {
    tensors.set(peftKey(modulePath, 'lora_A'), { shape: adapter.a.shape, data: adapter.a.dataSync() as Float32Array });
    tensors.set(peftKey(modulePath, 'lora_B'), { shape: adapter.b.shape, data: adapter.b.dataSync() as Float32Array });
  }
  const config = {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    r: meta.rank,
    lora_alpha: meta.alpha,
    lora_dropout: meta.dropout,
    target_modules: meta.targetModules,
    base_model_name_or_path: meta.baseModelNameOrPath,
    bias: 'none',
    fan_in_fan_out: false,
    inference_mode: true,
    init_lora_weights: true,
    modules_to_save: null,
    use_rslora: false,
    use_dora: false,
    layers_to_transform: null,
    layers_pattern: null,
    rank_pattern: {},
    alpha_pattern: {},
    revision: null,
  };
  await saveSafetensorsAtomic(path.join(dir, ADAPTER_WEIGHTS_FILE), tensors, { format: 'pt' });
  await writeFileAtomic(path.join(dir, ADAPTER_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
}

/** Reads and checks `adapter_config.json` in `dir`. */
export async function readPeftAdapterConfig(dir: string): Promise<PeftAdapterConfig> {
  const file = path.join(dir, ADAPTER_CONFIG_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new CheckpointError('adapter config is missing or not valid JSON', file, {
      hint: 'point at a directory written by Optimizer.save or PEFT save_pretrained',
      cause,
    });
  }
  const config = raw as Partial<PeftAdapterConfig>;
  if (config.peft_type !== 'LORA' || typeof config.r !== 'number' || typeof config.lora_alpha !== 'number') {
    throw new CheckpointError('not a LoRA adapter config (need peft_type "LORA", numeric r and lora_alpha)', file, {
      hint: 'only PEFT LoRA adapters are supported; re-save the adapter with peft_type LORA',
    });
  }
  return {
    peft_type: 'LORA',
    r: config.r,
    lora_alpha: config.lora_alpha,
    lora_dropout: typeof config.lora_dropout === 'number' ? config.lora_dropout : 0,
    target_modules: Array.isArray(config.target_modules) ? config.target_modules : [],
    base_model_name_or_path: typeof config.base_model_name_or_path === 'string' ? config.base_model_name_or_path : '',
  };
}

/**
 * Loads adapter tensors from `dir` (written by either engine, or PEFT) into the adapters of `model`.
 * The scaling must match (the adapters were built from the run's `model.lora`); every adapted module must be present.
 */
export async function loadPeftAdapter(dir: string, model: DecoderForCausalLM): Promise<PeftAdapterConfig> {
  const config = await readPeftAdapterConfig(dir);
  const expectedScale = config.lora_alpha / config.r;
  const first = model.adapters.values().next().value;
  if (first && Math.abs(first.scale - expectedScale) > 1e-9) {
    throw new CheckpointError(`adapter scaling alpha/r = ${expectedScale} differs from the model's ${first.scale}`, path.join(dir, ADAPTER_CONFIG_FILE), {
      hint: `set model.lora.alpha to ${config.lora_alpha} and model.lora.rank to ${config.r}`,
    });
  }
  const file = path.join(dir, ADAPTER_WEIGHTS_FILE);
  const tensors = await readCheckpointTensors(file, 'the checkpoint is incomplete; resume from an earlier checkpoint');
  for (const [modulePath, adapter] of model.adapters) {
    const a = tensors.get(peftKey(modulePath, 'lora_A'));
    const b = tensors.get(peftKey(modulePath, 'lora_B'));
    if (!a || !b) {
      throw new CheckpointError(`no adapter for ${modulePath} (expected ${peftKey(modulePath, 'lora_A')})`, file, {
        hint: "model.lora.targetModules must match the checkpoint's target_modules",
      });
    }
    if (a.shape.join() !== adapter.a.shape.join() || b.shape.join() !== adapter.b.shape.join()) {
      throw new CheckpointError(
        `adapter shape mismatch at ${modulePath}: file has A ${a.shape.join('x')}, B ${b.shape.join('x')}; model expects A ${adapter.a.shape.join('x')}, B ${adapter.b.shape.join('x')}`,
        file,
        { hint: `set model.lora.rank to ${config.r} (the checkpoint's r) or start without this checkpoint` },
      );
    }
    adapter.assign(a.data, b.data);
  }
  return config;
}
