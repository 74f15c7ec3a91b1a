import type { RopeScaling } from '@rlaif/hf';
import { tf } from '../engine/tf.js';

/**
 * Rotary position embedding in the HF "rotate half" layout, with Llama 3 or linear frequency scaling.
 * Written with slice/concat (both differentiable here; stridedSlice is not).
 */
export class RotaryEmbedding {
  private readonly inverseFrequencies: Float32Array;

  constructor(
    readonly dims: number,
    readonly base: number,
    readonly scaling: RopeScaling | null,
  ) {
    const plain = Array.from({ length: dims / 2 }, (_, i) => 1 / Math.pow(base, (2 * i) / dims));
    const scaled =
      scaling?.ropeType === 'llama3' ? llama3InverseFrequencies(dims, base, scaling)
      : scaling?.ropeType === 'linear' ? plain.map((f) => f / scaling.factor)
      : plain;
    this.inverseFrequencies = Float32Array.from(scaled);
  }

  /** Rotates x [B, heads, T, dims] for positions offset … offset+T-1. */
  apply(x: tf.Tensor4D, offset: number): tf.Tensor4D {
    return tf.tidy(() => {
      const length = x.shape[2];
      const half = this.dims / 2;
      const angles = new Float32Array(length * this.dims);
      for (let t = 0; t < length; t += 1) {
        for (let i = 0; i < half; i += 1) {
          const angle = (offset + t) * this.inverseFrequencies[i]!;
          angles[t * this.dims + i] = angle;
          angles[t * this.dims + half + i] = angle;
        }
      }
      const table = tf.tensor2d(angles, [length, this.dims]);
      const first = tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, half]);
      const second = tf.slice(x, [0, 0, 0, half], [-1, -1, -1, half]);
      const rotated = tf.concat([tf.neg(second), first], 3);
      return tf.add(tf.mul(x, tf.cos(table)), tf.mul(rotated, tf.sin(table)));
    });
  }
}

/**
 * Llama 3 frequency scaling: long wavelengths divided by `factor`, short kept, the band between blended.
 * The same arithmetic as backend-mlx's rotary-embedding.ts (plain math; kept per engine, see the README).
 */
export function llama3InverseFrequencies(dims: number, base: number, scaling: Extract<RopeScaling, { ropeType: 'llama3' }>): number[] {
  const lowFreqWavelength = scaling.originalMaxPositionEmbeddings / scaling.lowFreqFactor;
  const highFreqWavelength = scaling.originalMaxPositionEmbeddings / scaling.highFreqFactor;
  const result: number[] = [];
  for (let i = 0; i < dims; i += 2) {
    const frequency = 1 / Math.pow(base, i / dims);
    const wavelength = (2 * Math.PI) / frequency;
    if (wavelength < highFreqWavelength) {
      result.push(frequency);
    } else if (wavelength > lowFreqWavelength) {
      result.push(frequency / scaling.factor);
    } else {
      const smooth = (scaling.originalMaxPositionEmbeddings / wavelength - scaling.lowFreqFactor) / (scaling.highFreqFactor - scaling.lowFreqFactor);
      result.push((1 - smooth) * (frequency / scaling.factor) + smooth * frequency);
    }
  }
  return result;
}
