import { writeFile } from 'node:fs/promises';

/** A float32 tensor to write. */
export interface TensorToWrite {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Encodes float32 tensors as a safetensors file (names sorted, 8-byte aligned header), as torch/MLX write them. */
export function encodeSafetensors(tensors: ReadonlyMap<string, TensorToWrite>, metadata: Readonly<Record<string, string>> = { format: 'pt' }): Buffer {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const name of names) {
    const tensor = tensors.get(name)!;
    const bytes = tensor.data.length * 4;
    header[name] = { dtype: 'F32', shape: [...tensor.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = JSON.stringify(header);
  const headerBytes = Buffer.from(json + ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8), 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let position = 8 + headerBytes.length;
  for (const name of names) {
    const { data } = tensors.get(name)!;
    Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, position);
    position += data.byteLength;
  }
  return out;
}

/** Writes `tensors` to `file` in safetensors format. */
export async function writeSafetensors(file: string, tensors: ReadonlyMap<string, TensorToWrite>, metadata?: Readonly<Record<string, string>>): Promise<void> {
  await writeFile(file, encodeSafetensors(tensors, metadata));
}
