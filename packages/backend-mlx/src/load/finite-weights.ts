import { core as mx } from '@frost-beta/mlx';

/**
 * One lazy flag per tensor, true when it holds NaN or ±Inf: Σ(x·0) is 0 for finite values and NaN
 * otherwise, and cannot overflow in half precision the way a norm can. Evaluate the flags together
 * with the weights so the check reads each tensor while it is loaded.
 */
export function nonFiniteFlags(tensors: readonly mx.array[]): mx.array {
  if (tensors.length === 0) return mx.array([], mx.bool_);
  return mx.stack(tensors.map((tensor) => mx.isnan(mx.sum(mx.multiply(tensor, mx.array(0, tensor.dtype))))));
}
