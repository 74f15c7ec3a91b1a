import { core as mx } from '@frost-beta/mlx';

/**
 * One lazy sum per tensor: NaN or ±Inf in a tensor makes its sum non-finite, and one reduction pass is
 * the cheapest engine check (a norm costs a second pass in half precision). Finite weights cannot
 * overflow it: float32 and bfloat16 have the range, and a float16 sum stops growing long before 65504.
 */
export function tensorSums(tensors: readonly mx.array[]): mx.array {
  if (tensors.length === 0) return mx.array([], mx.float32);
  return mx.stack(tensors.map((tensor) => mx.sum(tensor).astype(mx.float32)));
}
