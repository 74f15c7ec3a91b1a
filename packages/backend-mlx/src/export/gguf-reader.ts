/**
 * A GGUF v2/v3 reader: metadata, tensor infos and raw tensor bytes. Used to verify exports and
 * to inspect files; it reads the whole file into memory.
 */
import { readFile } from 'node:fs/promises';
import { CheckpointError } from '@rlaif/core';
import { DEFAULT_ALIGNMENT, GGUF_MAGIC, GgmlType, GgufValueType, ggmlTypeSize } from './gguf-writer.js';

/** A decoded metadata value (uint64/int64 come back as numbers; exact below 2^53). */
export type GgufReadValue = number | boolean | string | GgufReadValue[];

/** One tensor as stored: shape back in row-major order, type and bytes. */
export interface GgufReadTensor {
  readonly name: string;
  readonly shape: number[];
  readonly type: number;
  readonly data: Uint8Array;
}

/** A parsed GGUF file. */
export interface GgufFile {
  readonly version: number;
  readonly metadata: Map<string, GgufReadValue>;
  readonly tensors: GgufReadTensor[];
}

class ByteReader {
  offset = 0;
  constructor(
    private readonly buffer: Buffer,
    private readonly file: string,
  ) {}
  private need(n: number): void {
    if (this.offset + n > this.buffer.length) {
      throw new CheckpointError(`truncated GGUF file (needed ${n} bytes at offset ${this.offset})`, this.file, {
        hint: 'the export was interrupted; export again',
      });
    }
  }
  u8(): number {
    this.need(1);
    return this.buffer.readUInt8(this.offset++);
  }
  i8(): number {
    this.need(1);
    return this.buffer.readInt8(this.offset++);
  }
  u16(): number {
    this.need(2);
    const v = this.buffer.readUInt16LE(this.offset);
    this.offset += 2;
    return v;
  }
  i16(): number {
    this.need(2);
    const v = this.buffer.readInt16LE(this.offset);
    this.offset += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.buffer.readUInt32LE(this.offset);
    this.offset += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.buffer.readInt32LE(this.offset);
    this.offset += 4;
    return v;
  }
  f32(): number {
    this.need(4);
    const v = this.buffer.readFloatLE(this.offset);
    this.offset += 4;
    return v;
  }
  f64(): number {
    this.need(8);
    const v = this.buffer.readDoubleLE(this.offset);
    this.offset += 8;
    return v;
  }
  u64(): number {
    this.need(8);
    const v = Number(this.buffer.readBigUInt64LE(this.offset));
    this.offset += 8;
    return v;
  }
  i64(): number {
    this.need(8);
    const v = Number(this.buffer.readBigInt64LE(this.offset));
    this.offset += 8;
    return v;
  }
  string(): string {
    const n = this.u64();
    this.need(n);
    const s = this.buffer.toString('utf8', this.offset, this.offset + n);
    this.offset += n;
    return s;
  }
}

function readValue(r: ByteReader, type: number): GgufReadValue {
  switch (type) {
    case GgufValueType.UINT8:
      return r.u8();
    case GgufValueType.INT8:
      return r.i8();
    case GgufValueType.UINT16:
      return r.u16();
    case GgufValueType.INT16:
      return r.i16();
    case GgufValueType.UINT32:
      return r.u32();
    case GgufValueType.INT32:
      return r.i32();
    case GgufValueType.FLOAT32:
      return r.f32();
    case GgufValueType.BOOL:
      return r.u8() !== 0;
    case GgufValueType.STRING:
      return r.string();
    case GgufValueType.UINT64:
      return r.u64();
    case GgufValueType.INT64:
      return r.i64();
    case GgufValueType.FLOAT64:
      return r.f64();
    case GgufValueType.ARRAY: {
      const itemType = r.u32();
      const count = r.u64();
      const items: GgufReadValue[] = [];
      for (let i = 0; i < count; i++) items.push(readValue(r, itemType));
      return items;
    }
    default:
      throw new RangeError(`unknown GGUF value type ${type}`);
  }
}

/** Parses the GGUF file at `file`; tensors of types other than F32/F16 keep their raw bytes. */
export async function readGguf(file: string): Promise<GgufFile> {
  const buffer = await readFile(file);
  const r = new ByteReader(buffer, file);
  if (r.u32() !== GGUF_MAGIC) {
    throw new CheckpointError('not a GGUF file (bad magic)', file, { hint: 'pass a .gguf file written by llama.cpp tools or rlaif export' });
  }
  const version = r.u32();
  if (version < 2) {
    throw new CheckpointError(`GGUF version ${version} is not supported`, file, { hint: 'convert the file to GGUF v3 with llama.cpp' });
  }
  const tensorCount = r.u64();
  const kvCount = r.u64();
  const metadata = new Map<string, GgufReadValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = r.string();
    metadata.set(key, readValue(r, r.u32()));
  }
  const infos: { name: string; shape: number[]; type: number; offset: number }[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = r.string();
    const dims = r.u32();
    const ne: number[] = [];
    for (let d = 0; d < dims; d++) ne.push(r.u64());
    const type = r.u32();
    infos.push({ name, shape: ne.reverse(), type, offset: r.u64() });
  }
  const alignmentValue = metadata.get('general.alignment');
  const alignment = typeof alignmentValue === 'number' ? alignmentValue : DEFAULT_ALIGNMENT;
  const dataStart = Math.ceil(r.offset / alignment) * alignment;
  const tensors = infos.map((info, i) => {
    const start = dataStart + info.offset;
    const elements = info.shape.reduce((a, b) => a * b, 1);
    const end =
      info.type === GgmlType.F32 || info.type === GgmlType.F16
        ? start + elements * ggmlTypeSize(info.type as GgmlType)
        : i + 1 < infos.length
          ? dataStart + infos[i + 1]!.offset
          : buffer.length;
    if (end > buffer.length) {
      throw new CheckpointError(`tensor ${info.name} runs past the end of the file`, file, { hint: 'the export was interrupted; export again' });
    }
    return { name: info.name, shape: info.shape, type: info.type, data: buffer.subarray(start, end) };
  });
  return { version, metadata, tensors };
}
