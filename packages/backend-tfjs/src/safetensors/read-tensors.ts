import { open } from 'node:fs/promises';
import { DataError } from '@rlaif/core';
import type { SafetensorsEntry, SafetensorsHeader } from '@rlaif/hf';

/** A float tensor read from a safetensors file, upcast to float32 (the only float dtype tfjs computes in). */
export interface Float32Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
  /** The dtype on disk (F32, BF16, F16). */
  readonly storedDtype: string;
}

const bf16View = new Uint32Array(1);
const bf16Float = new Float32Array(bf16View.buffer);

/** Reads every tensor of a header-checked safetensors file as float32; other dtypes are a DataError. */
export async function readFloat32Tensors(header: SafetensorsHeader, skip: (name: string) => boolean = () => false): Promise<Map<string, Float32Tensor>> {
  const handle = await open(header.file, 'r');
  try {
    const lengthBytes = Buffer.alloc(8);
    await handle.read(lengthBytes, 0, 8, 0);
    const dataStart = 8 + Number(lengthBytes.readBigUInt64LE(0));
    const tensors = new Map<string, Float32Tensor>();
    for (const [name, entry] of header.tensors) {
      if (skip(name)) continue;
      const [begin, end] = entry.dataOffsets;
      const bytes = Buffer.alloc(end - begin);
      await handle.read(bytes, 0, bytes.length, dataStart + begin);
      tensors.set(name, { shape: entry.shape, data: toFloat32(bytes, entry, name, header.file), storedDtype: entry.dtype });
    }
    return tensors;
  } finally {
    await handle.close();
  }
}

function toFloat32(bytes: Buffer, entry: SafetensorsEntry, name: string, file: string): Float32Array {
  const count = entry.shape.reduce((n, d) => n * d, 1);
  switch (entry.dtype) {
    case 'F32':
      // Buffer.alloc owns its ArrayBuffer (offset 0): view it without copying.
      return bytes.byteOffset % 4 === 0 ? new Float32Array(bytes.buffer, bytes.byteOffset, count) : new Float32Array(Uint8Array.from(bytes).buffer);
    case 'BF16': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i += 1) {
        bf16View[0] = bytes.readUInt16LE(i * 2) << 16;
        out[i] = bf16Float[0]!;
      }
      return out;
    }
    case 'F16':
      return Float32Array.from({ length: count }, (_, i) => halfToFloat(bytes.readUInt16LE(i * 2)));
    default:
      throw new DataError(`tensor ${name} is ${entry.dtype}: TensorFlow.js loads float weights only (F32, BF16, F16)`, file, undefined, {
        hint: 'quantised checkpoints are not supported by @rlaif/backend-tfjs: use the unquantised model, or @rlaif/backend-mlx',
      });
  }
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
