/**
 * Puts LoRA adapters on a model's block projections: freezes the whole model, then swaps each
 * targeted nn.Linear / nn.QuantizedLinear for a LoraLinear holding the same base arrays.
 */
import { nn, utils } from '@frost-beta/mlx';
import type { LoraSpec } from '@rlaif/core';
import { BackendError } from '@rlaif/core';
import { LoraLinear } from './lora-linear.js';

/** The adapted layers of one model, by Hugging Face module path (`model.layers.0.self_attn.q_proj`). */
export interface LoraLayers {
  readonly layers: ReadonlyMap<string, LoraLinear>;
  /** The module names actually adapted (`q_proj`, …), sorted. */
  readonly targetModules: readonly string[];
}

/** Modules inside the transformer blocks are the ones under a `layers` list. */
const BLOCK_PATH = /(^|\.)layers\.\d+\./;

/** The Hugging Face (snake_case) form of a dotted module path (`selfAttn.qProj` → `self_attn.q_proj`). */
export function hfPath(path: string): string {
  return path
    .split('.')
    .map((part) => utils.toSnakeCase(part))
    .join('.');
}

function isLinear(value: unknown): value is nn.Linear | nn.QuantizedLinear {
  return value instanceof nn.Linear || value instanceof nn.QuantizedLinear;
}

/**
 * Adapts `model` in place. `spec.targetModules` empty = every linear projection inside the blocks.
 * Throws when a requested module name matches nothing (typo in `model.lora.targetModules`).
 */
export function applyLora(model: nn.Module, spec: LoraSpec): LoraLayers {
  if (!(spec.rank >= 1) || !Number.isInteger(spec.rank)) {
    throw new BackendError(`LoRA rank must be a positive integer, got ${spec.rank}`, {
      hint: 'set model.lora.rank to e.g. 8 in your rlaif config',
    });
  }
  if (!(spec.dropout >= 0 && spec.dropout < 1)) {
    throw new BackendError(`LoRA dropout must be in [0, 1), got ${spec.dropout}`, {
      hint: 'set model.lora.dropout to e.g. 0.05 in your rlaif config',
    });
  }
  model.freeze();
  const wanted = new Set(spec.targetModules);
  const layers = new Map<string, LoraLinear>();
  const found = new Set<string>();
  for (const [path, module] of model.namedModules()) {
    for (const [key, child] of Object.entries(module)) {
      if (!isLinear(child)) continue;
      const childPath = hfPath(path ? `${path}.${key}` : key);
      const name = utils.toSnakeCase(key);
      if (!BLOCK_PATH.test(childPath)) continue;
      if (wanted.size > 0 && !wanted.has(name)) continue;
      const adapted = LoraLinear.fromBase(child, spec);
      (module as Record<string, unknown>)[key] = adapted;
      layers.set(childPath, adapted);
      found.add(name);
    }
  }
  const missing = [...wanted].filter((name) => !found.has(name));
  if (layers.size === 0 || missing.length > 0) {
    throw new BackendError(`LoRA target modules not found in the model: ${missing.join(', ') || '(none matched)'}`, {
      hint: `model.lora.targetModules may only name linear projections inside the blocks; leave it empty to adapt all of them`,
    });
  }
  return { layers, targetModules: [...found].sort() };
}

/** Finds the LoraLinear layers of an already adapted model. */
export function findLoraLayers(model: nn.Module): LoraLayers {
  const layers = new Map<string, LoraLinear>();
  const names = new Set<string>();
  for (const [path, module] of model.namedModules()) {
    if (module instanceof LoraLinear) {
      const name = hfPath(path);
      layers.set(name, module);
      names.add(name.slice(name.lastIndexOf('.') + 1));
    }
  }
  return { layers, targetModules: [...names].sort() };
}

/** Enables or disables every adapter of `model` (disabled = exact base-model outputs). */
export function setAdaptersEnabled(model: nn.Module, enabled: boolean): void {
  for (const layer of findLoraLayers(model).layers.values()) layer.setEnabled(enabled);
}

/** Runs `fn` with adapters disabled and restores them afterwards, even if `fn` throws. */
export function withAdaptersDisabled<T>(layers: LoraLayers, fn: () => T): T {
  for (const layer of layers.layers.values()) layer.setEnabled(false);
  try {
    return fn();
  } finally {
    for (const layer of layers.layers.values()) layer.setEnabled(true);
  }
}
