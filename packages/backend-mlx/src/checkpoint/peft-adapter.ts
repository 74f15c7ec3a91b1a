/**
 * LoRA adapters in PEFT's on-disk layout, so `PeftModel.from_pretrained` and vLLM load them:
 * `adapter_config.json` (peft_type LORA, r, lora_alpha, …) and `adapter_model.safetensors` with keys
 * `base_model.model.<module path>.lora_A.weight` [r, in] and `.lora_B.weight` [out, r].
 */
import path from 'node:path';
import { core as mx } from '@frost-beta/mlx';
import { CheckpointError, writeFileAtomic } from '@rlaif/core';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, peftAdapterConfigText, peftKey, readPeftAdapterConfig } from '@rlaif/hf';
import type { AdapterMetadata, PeftAdapterConfig } from '@rlaif/hf';
import type { LoraLayers } from '../lora/apply-lora.js';
import { saveSafetensorsAtomic } from './atomic-write.js';

export { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, peftKey, readPeftAdapterConfig } from '@rlaif/hf';
export type { AdapterMetadata, PeftAdapterConfig } from '@rlaif/hf';

/** Writes the adapter of every LoraLinear in `layers` into `dir`. */
export async function savePeftAdapter(dir: string, layers: LoraLayers, meta: AdapterMetadata): Promise<void> {
  const tensors: Record<string, mx.array> = {};
  for (const [modulePath, layer] of layers.layers) {
    tensors[peftKey(modulePath, 'lora_A')] = layer.loraA;
    tensors[peftKey(modulePath, 'lora_B')] = layer.loraB;
  }
  await saveSafetensorsAtomic(path.join(dir, ADAPTER_WEIGHTS_FILE), tensors, { format: 'pt' });
  await writeFileAtomic(path.join(dir, ADAPTER_CONFIG_FILE), peftAdapterConfigText(meta, layers.targetModules));
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
