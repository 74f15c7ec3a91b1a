/** Global L2 norm of a list of gradients and the clipping that rescales them to a maximum norm. */
import { core as mx } from '@frost-beta/mlx';

/** √Σ‖g‖², computed in float32 as one lazy scalar. */
export function globalNorm(gradients: readonly mx.array[]): mx.array {
  const squares = gradients.map((g) => mx.sum(mx.square(g.astype(mx.float32))));
  return mx.sqrt(squares.reduce((a, b) => mx.add(a, b), mx.array(0, mx.float32)));
}

/** Scales all gradients by min(1, maxNorm / norm); `maxNorm` ≤ 0 leaves them unchanged. */
export function clipByGlobalNorm(gradients: readonly mx.array[], norm: number, maxNorm: number): readonly mx.array[] {
  if (!(maxNorm > 0) || !(norm > maxNorm)) return gradients;
  const scale = maxNorm / (norm + 1e-6);
  return gradients.map((g) => mx.multiply(g, scale));
}
