import { core as mx } from '@frost-beta/mlx';
import type { RopeScaling } from '@rlaif/hf';

/**
 * Rotary position embedding in the HF "rotate half" layout. Without scaling it is MLX's fast.rope;
 * Llama 3 scaling changes the frequencies, which fast.rope cannot take here, so it is written with ops.
 */
export class RotaryEmbedding {
  private readonly inverseFrequencies: mx.array | undefined;

  constructor(
    readonly dims: number,
    readonly base: number,
    readonly scaling: RopeScaling | null,
  ) {
    if (scaling?.ropeType === 'llama3') this.inverseFrequencies = mx.array(llama3InverseFrequencies(dims, base, scaling));
  }

  /** Rotates x [B, heads, T, dims] for positions offset … offset+T-1. */
  apply(x: mx.array, offset: number): mx.array {
    if (!this.inverseFrequencies) {
      const scale = this.scaling?.ropeType === 'linear' ? 1 / this.scaling.factor : 1;
      return mx.fast.rope(x, this.dims, false, this.base, scale, offset);
    }
    const length = x.shape[2]!;
    const positions = mx.arange(offset, offset + length, 1, mx.float32).reshape(length, 1);
    const angles = mx.multiply(positions, this.inverseFrequencies.reshape(1, -1));
    const full = mx.concatenate([angles, angles], -1);
    const half = this.dims / 2;
    const first = x.index('...', mx.Slice(0, half));
    const second = x.index('...', mx.Slice(half, this.dims));
    const rotated = mx.concatenate([mx.negative(second), first], -1);
    return mx.add(mx.multiply(x, mx.cos(full)), mx.multiply(rotated, mx.sin(full)));
  }
}

/** Llama 3 frequency scaling: long wavelengths divided by `factor`, short kept, the band between blended. */
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
