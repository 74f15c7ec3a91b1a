/**
 * LoRA adapters in PEFT's on-disk layout, so `PeftModel.from_pretrained` and vLLM load them:
 * `adapter_config.json` (peft_type LORA, r, lora_alpha, …) and `adapter_model.safetensors` with keys
 * `base_model.model.<module path>.lora_A.weight` [r, in] and `.lora_B.weight` [out, r].
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { core as mx } from '@frost-beta/mlx';
import { CheckpointError } from '@rlaif/core';
import type { LoraLayers } from '../lora/apply-lora.js';
import { saveSafetensorsAtomic, writeFileAtomic } from './atomic-write.js';

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
}

/** PEFT tensor name of one adapter matrix. */
export function peftKey(modulePath: string, matrix: 'lora_A' | 'lora_B'): string {
  return `${KEY_PREFIX}${modulePath}.${matrix}.weight`;
}

/** Writes the adapter of every LoraLinear in `layers` into `dir`. */
export async function savePeftAdapter(dir: string, layers: LoraLayers, meta: AdapterMetadata): Promise<void> {
  const tensors: Record<string, mx.array> = {};
  for (const [modulePath, layer] of layers.layers) {
    tensors[peftKey(modulePath, 'lora_A')] = layer.loraA;
    tensors[peftKey(modulePath, 'lora_B')] = layer.loraB;
  }
  const config = {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    r: meta.rank,
    lora_alpha: meta.alpha,
    lora_dropout: meta.dropout,
    target_modules: layers.targetModules,
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
 * Loads adapter tensors from `dir` into `layers`. The rank and scaling must match the layers
 * (they were built from the run's `model.lora` config); every adapted module must be present.
 */
export async function loadPeftAdapter(dir: string, layers: LoraLayers): Promise<PeftAdapterConfig> {
  const config = await readPeftAdapterConfig(dir);
  const expectedScale = config.lora_alpha / config.r;
  const first = layers.layers.values().next().value;
  if (first && Math.abs(first.scale - expectedScale) > 1e-9) {
    throw new CheckpointError(`adapter scaling alpha/r = ${expectedScale} differs from the model's ${first.scale}`, path.join(dir, ADAPTER_CONFIG_FILE), {
      hint: `set model.lora.alpha to ${config.lora_alpha} and model.lora.rank to ${config.r}`,
    });
  }
  const file = path.join(dir, ADAPTER_WEIGHTS_FILE);
  let tensors: Record<string, mx.array>;
  try {
    tensors = mx.load(file) as unknown as Record<string, mx.array>;
  } catch (cause) {
    throw new CheckpointError('adapter weights are missing or unreadable', file, {
      hint: 'the checkpoint is incomplete; resume from an earlier checkpoint',
      cause,
    });
  }
  for (const [modulePath, layer] of layers.layers) {
    const a = tensors[peftKey(modulePath, 'lora_A')];
    const b = tensors[peftKey(modulePath, 'lora_B')];
    if (!a || !b) {
      throw new CheckpointError(`no adapter for ${modulePath} (expected ${peftKey(modulePath, 'lora_A')})`, file, {
        hint: 'model.lora.targetModules must match the checkpoint\'s target_modules',
      });
    }
    if (a.shape.join() !== layer.loraA.shape.join() || b.shape.join() !== layer.loraB.shape.join()) {
      throw new CheckpointError(
        `adapter shape mismatch at ${modulePath}: file has A ${a.shape.join('x')}, B ${b.shape.join('x')}; model expects A ${layer.loraA.shape.join('x')}, B ${layer.loraB.shape.join('x')}`,
        file,
        { hint: `set model.lora.rank to ${config.r} (the checkpoint's r) or start without this checkpoint` },
      );
    }
    layer.loraA = a.astype(layer.loraA.dtype);
    layer.loraB = b.astype(layer.loraB.dtype);
  }
  mx.eval(...[...layers.layers.values()].flatMap((l) => [l.loraA, l.loraB]));
  return config;
}
