/**
 * Folds adapters into the base weights for export: the result is a flat record of Hugging Face
 * parameter names → dense arrays that a plain (un-adapted) model loads directly.
 */
import { core as mx, nn, utils } from '@frost-beta/mlx';
import { hfPath } from './apply-lora.js';
import { LoraLinear } from './lora-linear.js';

/** Storage dtype of merged tensors: keep the base's float dtype, or force one. */
export type MergeDtype = 'float32' | 'float16' | 'bfloat16';

const DTYPES: Record<MergeDtype, mx.Dtype> = { float32: mx.float32, float16: mx.float16, bfloat16: mx.bfloat16 };

/**
 * Returns every parameter of `model` with adapters merged (W + (alpha/rank)·B·A) and quantised
 * layers dequantised. Tensors are cast to `dtype` (default float32).
 */
export function mergedParameters(model: nn.Module, dtype: MergeDtype = 'float32'): Record<string, mx.array> {
  const target = DTYPES[dtype];
  const out: Record<string, mx.array> = {};
  const dense = new Map<string, mx.array>();
  for (const [path, module] of model.namedModules()) {
    if (module instanceof LoraLinear) dense.set(hfPath(path), module.mergedWeight());
    else if (module instanceof nn.QuantizedLinear || module instanceof nn.QuantizedEmbedding) {
      dense.set(hfPath(path), mx.dequantize(module.weight, module.scales, module.biases, module.groupSize, module.bits));
    }
  }
  for (const [name, value] of utils.treeFlatten(model.parameters(), '', undefined, utils.toSnakeCase) as [string, mx.array][]) {
    const dot = name.lastIndexOf('.');
    const owner = name.slice(0, dot);
    const leaf = name.slice(dot + 1);
    const merged = dense.get(owner);
    if (merged) {
      if (leaf === 'weight') out[name] = merged.astype(target);
      else if (leaf === 'bias') out[name] = value.astype(target);
      // loraA, loraB, scales and biases are folded into `weight`.
      continue;
    }
    out[name] = mx.issubdtype(value.dtype, mx.floating) ? value.astype(target) : value;
  }
  return out;
}
