import { core as mx, nn } from '@frost-beta/mlx';
import type { CausalLM } from '../models/causal-lm.js';
import { asFloat32 } from '../engine/compute-dtype.js';

/** Bit widths MLX quantises to. */
export type QuantizeBits = 4 | 8;

/** What `quantizeLinearLayers` did. */
export interface QuantizationReport {
  readonly bits: QuantizeBits;
  readonly groupSize: number;
  /** HF names of the layers now quantised (model.layers.0.self_attn.q_proj …). */
  readonly quantized: readonly string[];
  /** Layers left in full precision, with the reason. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

const GROUP_SIZE = 64;
// MLX 0.13's quantize rejects narrower inputs ("feature dimension too small").
const MIN_INPUT_DIMS: Readonly<Record<QuantizeBits, number>> = { 4: 256, 8: 128 };

/**
 * Replaces the Linear projections of the decoder blocks by nn.QuantizedLinear (group size 64), in place.
 * Embeddings and the LM head stay as they are. Quantised weights are frozen; gradients still flow through
 * quantizedMatmul to the input, which is what LoRA adapters on top need.
 */
export function quantizeLinearLayers(model: CausalLM, bits: QuantizeBits): QuantizationReport {
  const quantized: string[] = [];
  const skipped: { name: string; reason: string }[] = [];
  model.layers.forEach((block, index) => {
    const owners: [string, nn.Module][] = [
      ['self_attn', block.selfAttn],
      ['mlp', block.mlp],
    ];
    for (const [ownerName, owner] of owners) {
      for (const key of Object.keys(owner)) {
        const layer = owner[key];
        if (!(layer instanceof nn.Linear)) continue;
        const name = `model.layers.${index}.${ownerName}.${snakeCase(key)}`;
        const inputDims = layer.weight.shape[1]!;
        if (inputDims % GROUP_SIZE !== 0) {
          skipped.push({ name, reason: `input size ${inputDims} is not a multiple of the group size ${GROUP_SIZE}` });
          continue;
        }
        if (inputDims < MIN_INPUT_DIMS[bits]) {
          skipped.push({ name, reason: `input size ${inputDims} is below ${MIN_INPUT_DIMS[bits]}, the smallest MLX quantises to ${bits} bits` });
          continue;
        }
        owner[key] = toQuantizedLinear(layer, bits);
        quantized.push(name);
      }
    }
  });
  return { bits, groupSize: GROUP_SIZE, quantized, skipped };
}

// Quantise from float32: MLX's CPU kernels need float32 scales, and a bf16 source would give bf16 ones.
function toQuantizedLinear(layer: nn.Linear, bits: QuantizeBits): nn.QuantizedLinear {
  const [outputDims, inputDims] = layer.weight.shape as [number, number];
  const quantized = new nn.QuantizedLinear(inputDims, outputDims, false, GROUP_SIZE, bits);
  const [weight, scales, biases] = mx.quantize(asFloat32(layer.weight), GROUP_SIZE, bits) as unknown as [mx.array, mx.array, mx.array];
  quantized.weight = weight;
  quantized.scales = scales;
  quantized.biases = biases;
  if (layer.bias) quantized.bias = asFloat32(layer.bias);
  quantized.freeze();
  mx.eval(weight, scales, biases);
  return quantized;
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
