/**
 * A GGUF v3 file writer (the llama.cpp format), in TypeScript because node-mlx's `saveGguf` is
 * declared but missing. Layout: header, metadata key/values, tensor infos, padding, then tensor
 * data, each tensor starting at a multiple of `general.alignment`. All integers little-endian.
 */
import { open } from 'node:fs/promises';

/** GGUF metadata value types (gguf.h `gguf_type`). */
export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;
export type GgufValueType = (typeof GgufValueType)[keyof typeof GgufValueType];

/** Tensor element types this writer emits (ggml.h `ggml_type`). */
export const GgmlType = { F32: 0, F16: 1 } as const;
export type GgmlType = (typeof GgmlType)[keyof typeof GgmlType];

/** A typed metadata value: scalars, strings, or homogeneous arrays of them. */
export type GgufValue =
  | { readonly type: 'uint32' | 'int32' | 'float32' | 'uint64' | 'uint8'; readonly value: number }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'array'; readonly itemType: 'string'; readonly value: readonly string[] }
  | { readonly type: 'array'; readonly itemType: 'int32' | 'float32' | 'uint32'; readonly value: readonly number[] };

/** One tensor: its GGUF name, shape in row-major (PyTorch) order, element type and raw bytes. */
export interface GgufTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly type: GgmlType;
  readonly data: Uint8Array;
}

export const GGUF_MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
export const GGUF_VERSION = 3;
export const DEFAULT_ALIGNMENT = 32;

const SCALAR_CODES = {
  uint8: GgufValueType.UINT8,
  uint32: GgufValueType.UINT32,
  int32: GgufValueType.INT32,
  float32: GgufValueType.FLOAT32,
  uint64: GgufValueType.UINT64,
  bool: GgufValueType.BOOL,
  string: GgufValueType.STRING,
} as const;

/** Growable little-endian byte buffer for the header part of the file. */
class ByteWriter {
  private buffer = Buffer.alloc(1 << 16);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const next = Buffer.alloc(Math.max(this.buffer.length * 2, this.length + n));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }
  u8(v: number): void {
    this.reserve(1);
    this.buffer.writeUInt8(v, this.length);
    this.length += 1;
  }
  u32(v: number): void {
    this.reserve(4);
    this.buffer.writeUInt32LE(v, this.length);
    this.length += 4;
  }
  i32(v: number): void {
    this.reserve(4);
    this.buffer.writeInt32LE(v, this.length);
    this.length += 4;
  }
  f32(v: number): void {
    this.reserve(4);
    this.buffer.writeFloatLE(v, this.length);
    this.length += 4;
  }
  u64(v: number | bigint): void {
    this.reserve(8);
    this.buffer.writeBigUInt64LE(BigInt(v), this.length);
    this.length += 8;
  }
  string(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.reserve(bytes.length);
    bytes.copy(this.buffer, this.length);
    this.length += bytes.length;
  }
  pad(alignment: number): void {
    const rest = this.length % alignment;
    if (rest === 0) return;
    this.reserve(alignment - rest);
    this.buffer.fill(0, this.length, this.length + alignment - rest);
    this.length += alignment - rest;
  }
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

function writeScalar(w: ByteWriter, type: keyof typeof SCALAR_CODES, value: number | boolean | string): void {
  switch (type) {
    case 'uint8':
      return w.u8(value as number);
    case 'uint32':
      return w.u32(value as number);
    case 'int32':
      return w.i32(value as number);
    case 'float32':
      return w.f32(value as number);
    case 'uint64':
      return w.u64(value as number);
    case 'bool':
      return w.u8(value ? 1 : 0);
    case 'string':
      return w.string(value as string);
  }
}

function writeValue(w: ByteWriter, value: GgufValue): void {
  if (value.type === 'array') {
    w.u32(GgufValueType.ARRAY);
    w.u32(SCALAR_CODES[value.itemType]);
    w.u64(value.value.length);
    for (const item of value.value) writeScalar(w, value.itemType, item);
    return;
  }
  w.u32(SCALAR_CODES[value.type]);
  writeScalar(w, value.type, value.value);
}

/** Bytes per element of a tensor type. */
export function ggmlTypeSize(type: GgmlType): number {
  return type === GgmlType.F32 ? 4 : 2;
}

/**
 * Writes a GGUF v3 file. `metadata` keys are written in insertion order; `general.alignment`
 * (default 32) is honoured if present as a uint32.
 */
export async function writeGguf(file: string, metadata: ReadonlyMap<string, GgufValue>, tensors: readonly GgufTensor[]): Promise<void> {
  const alignmentValue = metadata.get('general.alignment');
  const alignment = alignmentValue && alignmentValue.type === 'uint32' ? alignmentValue.value : DEFAULT_ALIGNMENT;
  const header = new ByteWriter();
  header.u32(GGUF_MAGIC);
  header.u32(GGUF_VERSION);
  header.u64(tensors.length);
  header.u64(metadata.size);
  for (const [key, value] of metadata) {
    header.string(key);
    writeValue(header, value);
  }
  let offset = 0;
  const offsets: number[] = [];
  for (const tensor of tensors) {
    const elements = tensor.shape.reduce((a, b) => a * b, 1);
    if (elements * ggmlTypeSize(tensor.type) !== tensor.data.byteLength) {
      throw new RangeError(`GGUF tensor ${tensor.name}: ${tensor.data.byteLength} bytes for shape [${tensor.shape.join(', ')}]`);
    }
    header.string(tensor.name);
    header.u32(tensor.shape.length);
    // GGML lists dimensions innermost first: ne[0] is the row length.
    for (const dim of [...tensor.shape].reverse()) header.u64(dim);
    header.u32(tensor.type);
    header.u64(offset);
    offsets.push(offset);
    offset += Math.ceil(tensor.data.byteLength / alignment) * alignment;
  }
  header.pad(alignment);
  const handle = await open(file, 'w');
  try {
    await handle.write(header.bytes());
    const zeros = Buffer.alloc(alignment);
    for (const tensor of tensors) {
      await handle.write(tensor.data);
      const rest = tensor.data.byteLength % alignment;
      if (rest !== 0) await handle.write(zeros, 0, alignment - rest);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}
