/**
 * LoRA adapters in PEFT's on-disk layout (the config and key names from @rlaif/hf, shared with backend-mlx): `adapter_config.json`
 * (peft_type LORA, r, lora_alpha, …) and `adapter_model.safetensors` with keys
 * `base_model.model.<module path>.lora_A.weight` [r, in] and `.lora_B.weight` [out, r].
 */
import path from 'node:path';
import { CheckpointError, writeFileAtomic } from '@rlaif/core';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, peftAdapterConfigText, peftKey, readPeftAdapterConfig } from '@rlaif/hf';
import type { AdapterMetadata as BaseAdapterMetadata, PeftAdapterConfig } from '@rlaif/hf';
import type { DecoderForCausalLM } from '../models/causal-lm.js';
import type { TensorToWrite } from '../safetensors/write-tensors.js';
import { saveSafetensorsAtomic } from './atomic-write.js';
import { readCheckpointTensors } from './read-checkpoint-tensors.js';

export { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, peftKey, readPeftAdapterConfig } from '@rlaif/hf';
export type { PeftAdapterConfig } from '@rlaif/hf';

/** What to record about the adapter beyond its tensors, with the adapted module names (`q_proj`, …), sorted. */
export interface AdapterMetadata extends BaseAdapterMetadata {
  readonly targetModules: readonly string[];
}

/** Writes every adapter of `model` into `dir`. */
export async function savePeftAdapter(dir: string, model: DecoderForCausalLM, meta: AdapterMetadata): Promise<void> {
  const tensors = new Map<string, TensorToWrite>();
  for (const [modulePath, adapter] of model.adapters) {
    tensors.set(peftKey(modulePath, 'lora_A'), { shape: adapter.a.shape, data: adapter.a.dataSync() as Float32Array });
    tensors.set(peftKey(modulePath, 'lora_B'), { shape: adapter.b.shape, data: adapter.b.dataSync() as Float32Array });
  }
  await saveSafetensorsAtomic(path.join(dir, ADAPTER_WEIGHTS_FILE), tensors, { format: 'pt' });
  await writeFileAtomic(path.join(dir, ADAPTER_CONFIG_FILE), peftAdapterConfigText(meta, meta.targetModules));
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
