/**
 * Puts LoRA adapters on a model's block projections (the base weights stay frozen variables) and
 * names the trainable parameters of either fine-tuning mode.
 */
import type { LoraSpec } from '@rlaif/core';
import { BackendError } from '@rlaif/core';
import type { tf } from '../engine/tf.js';
import type { DecoderForCausalLM } from '../models/causal-lm.js';
import { LoraAdapter } from '../models/lora-adapter.js';

/** The linear projections inside each block, in the order backend-mlx's module tree lists them. */
export const BLOCK_PROJECTIONS = ['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj', 'mlp.gate_proj', 'mlp.up_proj', 'mlp.down_proj'] as const;

/**
 * Adapts `model` in place. `spec.targetModules` empty = every linear projection inside the blocks.
 * Throws when a requested module name matches nothing (typo in `model.lora.targetModules`).
 * Returns the adapted module names (`q_proj`, …), sorted, as PEFT's target_modules.
 */
export function applyLora(model: DecoderForCausalLM, spec: LoraSpec, seed = 0): string[] {
  if (!(spec.rank >= 1) || !Number.isInteger(spec.rank)) {
    throw new BackendError(`LoRA rank must be a positive integer, got ${spec.rank}`, { hint: 'set model.lora.rank to e.g. 8 in your rlaif config' });
  }
  if (!(spec.dropout >= 0 && spec.dropout < 1)) {
    throw new BackendError(`LoRA dropout must be in [0, 1), got ${spec.dropout}`, { hint: 'set model.lora.dropout to e.g. 0.05 in your rlaif config' });
  }
  const wanted = new Set(spec.targetModules);
  const known = new Set(BLOCK_PROJECTIONS.map((p) => p.split('.')[1]!));
  const missing = [...wanted].filter((name) => !known.has(name));
  if (missing.length > 0) {
    throw new BackendError(`LoRA target modules not found in the model: ${missing.join(', ')}`, {
      hint: `model.lora.targetModules may only name linear projections inside the blocks (${[...known].join(', ')}); leave it empty to adapt all of them`,
    });
  }
  const found = new Set<string>();
  let count = 0;
  for (let i = 0; i < model.args.numHiddenLayers; i += 1) {
    for (const projection of BLOCK_PROJECTIONS) {
      const name = projection.split('.')[1]!;
      if (wanted.size > 0 && !wanted.has(name)) continue;
      const path = `model.layers.${i}.${projection}`;
      const [outFeatures, inFeatures] = model.weight(`${path}.weight`).shape as [number, number];
      model.adapters.set(path, new LoraAdapter(spec, inFeatures, outFeatures, seed * 7919 + count, count));
      found.add(name);
      count += 1;
    }
  }
  return [...found].sort();
}

/** Trainable parameters with backend-mlx's names (its module tree's camelCase paths) and in its order. */
export interface TrainableParameters {
  readonly names: readonly string[];
  readonly variables: readonly tf.Variable[];
}

/** The adapters' A and B with LoRA, else every base weight (full fine-tuning). */
export function trainableParameters(model: DecoderForCausalLM): TrainableParameters {
  const names: string[] = [];
  const variables: tf.Variable[] = [];
  if (model.adapters.size > 0) {
    for (const [path, adapter] of model.adapters) {
      names.push(`${mlxName(path)}.loraA`, `${mlxName(path)}.loraB`);
      variables.push(adapter.a, adapter.b);
    }
  } else {
    for (const name of model.parameterShapes().keys()) {
      names.push(mlxName(name));
      variables.push(model.weights.get(name)!);
    }
  }
  return { names, variables };
}

/** `model.layers.0.self_attn.q_proj` → `model.layers.0.selfAttn.qProj` (node-mlx's attribute names). */
export function mlxName(hfName: string): string {
  return hfName.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
