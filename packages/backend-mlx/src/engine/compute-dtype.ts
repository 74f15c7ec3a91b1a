import { core as mx } from '@frost-beta/mlx';

/**
 * On CPU, MLX matmul exists only in float32 (bf16/fp16 abort the process), so weights stored in a
 * half type are cast right before each matmul. A no-op for float32 arrays.
 */
export function asFloat32(array: mx.array): mx.array {
  return array.dtype === mx.float32 ? array : array.astype(mx.float32);
}

/** The storage dtypes rlaif accepts for base weights. */
export type StorageDtype = 'float32' | 'bfloat16' | 'float16';

/** The MLX dtype of a storage dtype name. */
export function mlxDtype(dtype: StorageDtype): mx.Dtype {
  switch (dtype) {
    case 'float32':
      return mx.float32;
    case 'bfloat16':
      return mx.bfloat16;
    case 'float16':
      return mx.float16;
  }
}

/** A readable name of an MLX dtype (for messages and PolicyInfo). */
export function dtypeName(dtype: mx.Dtype): string {
  for (const [name, candidate] of Object.entries({ float32: mx.float32, bfloat16: mx.bfloat16, float16: mx.float16, int32: mx.int32, uint32: mx.uint32, uint8: mx.uint8 })) {
    if (candidate === dtype) return name;
  }
  return String(dtype);
}
