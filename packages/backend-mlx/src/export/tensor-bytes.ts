/**
 * Raw bytes of MLX arrays. node-mlx has no zero-copy buffer access (and `tolist()` is slow for
 * millions of elements), so arrays go through a temporary safetensors file whose header gives
 * each tensor's byte range.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { core as mx } from '@frost-beta/mlx';

/** One tensor's safetensors dtype (`F32`, `F16`, `BF16`, …), shape and little-endian bytes. */
export interface RawTensor {
  readonly dtype: string;
  readonly shape: number[];
  readonly data: Uint8Array;
}

/** Evaluates `arrays` and returns their bytes by name. */
export async function tensorBytes(arrays: Record<string, mx.array>): Promise<Map<string, RawTensor>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-tensors-'));
  try {
    const file = path.join(dir, 'tensors.safetensors');
    mx.saveSafetensors(file, arrays);
    return parseSafetensors(await readFile(file));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Splits a safetensors file's bytes into its tensors (header: u64 length + JSON). */
export function parseSafetensors(buffer: Buffer): Map<string, RawTensor> {
  const headerLength = Number(buffer.readBigUInt64LE(0));
  const header = JSON.parse(buffer.toString('utf8', 8, 8 + headerLength)) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const base = 8 + headerLength;
  const out = new Map<string, RawTensor>();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [start, end] = info.data_offsets;
    out.set(name, { dtype: info.dtype, shape: info.shape, data: buffer.subarray(base + start, base + end) });
  }
  return out;
}
