/** Boolean comparisons of MLX arrays for tests (`mx.allclose` returns an array in node-mlx). */
import { core as mx } from '@frost-beta/mlx';

/** Whether `a` and `b` have the same shape and are element-wise close. */
export function close(a: mx.array, b: mx.array, rtol = 1e-5, atol = 1e-6): boolean {
  if (a.shape.join() !== b.shape.join()) return false;
  return (mx.allclose(a, b, rtol, atol) as unknown as mx.array).item() === true;
}

/** Whether `a` and `b` are bit-for-bit equal. */
export function identical(a: mx.array, b: mx.array): boolean {
  return a.shape.join() === b.shape.join() && mx.arrayEqual(a, b).item() === true;
}
