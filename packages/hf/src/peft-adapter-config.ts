/**
 * PEFT's on-disk LoRA layout, shared by every backend so their adapters are byte-compatible and
 * `PeftModel.from_pretrained` and vLLM load them: `adapter_config.json` (peft_type LORA, r,
 * lora_alpha, …) and `adapter_model.safetensors` with keys
 * `base_model.model.<module path>.lora_A.weight` [r, in] and `.lora_B.weight` [out, r].
 * The tensors themselves are the engine's to write and read.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CheckpointError } from '@rlaif/core';

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

/** What to record about an adapter beyond its tensors. */
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

/** The text of `adapter_config.json` for an adapter on the modules `targetModules` (`q_proj`, …). */
export function peftAdapterConfigText(meta: AdapterMetadata, targetModules: readonly string[]): string {
  const config = {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    r: meta.rank,
    lora_alpha: meta.alpha,
    lora_dropout: meta.dropout,
    target_modules: targetModules,
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
  return `${JSON.stringify(config, null, 2)}\n`;
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
