import { open } from 'node:fs/promises';
import { DataError } from '@rlaif/core';

/** One tensor as a safetensors header declares it. */
export interface SafetensorsEntry {
  /** safetensors dtype: `F32`, `F16`, `BF16`, `I64`, … */
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Byte range [begin, end) relative to the end of the header. */
  readonly dataOffsets: readonly [number, number];
}

/** A safetensors file's header, checked against the file it came from. */
export interface SafetensorsHeader {
  readonly file: string;
  /** Bytes on disk. */
  readonly fileSize: number;
  readonly tensors: ReadonlyMap<string, SafetensorsEntry>;
  readonly metadata: Readonly<Record<string, string>>;
}

/** Bytes per element of every dtype the safetensors format defines. */
export const SAFETENSORS_DTYPE_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1,
  I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4,
  I64: 8, U64: 8, F64: 8,
};

// Larger headers are not written by any tool rlaif knows (the format's own readers cap at 100 MB).
const MAX_HEADER_BYTES = 100_000_000;
const DAMAGED_HINT = 'the file is damaged or incomplete: download the model again (or check that the revision is the one you meant)';

/**
 * Reads only the header of a safetensors file (8-byte length + JSON) and checks it against the file:
 * known dtypes, byte ranges that match each shape, no overlaps, and a file long enough for every tensor.
 * Every failure is a DataError naming the file and the tensor.
 */
export async function readSafetensorsHeader(file: string): Promise<SafetensorsHeader> {
  const handle = await open(file, 'r').catch((cause: unknown) => {
    throw new DataError('cannot open the safetensors file', file, undefined, { hint: 'check that the model folder is complete', cause });
  });
  try {
    const fileSize = (await handle.stat()).size;
    const fail = (message: string) => new DataError(message, file, undefined, { hint: DAMAGED_HINT });
    if (fileSize < 8) throw fail(`truncated: ${fileSize} bytes is too short for a safetensors header`);
    const lengthBytes = Buffer.alloc(8);
    await handle.read(lengthBytes, 0, 8, 0);
    const headerLength = Number(lengthBytes.readBigUInt64LE(0));
    if (headerLength > MAX_HEADER_BYTES) throw fail(`the header claims ${headerLength} bytes: not a safetensors file`);
    if (8 + headerLength > fileSize) throw fail(`truncated: the header needs ${8 + headerLength} bytes but the file has ${fileSize}`);
    const headerBytes = Buffer.alloc(headerLength);
    await handle.read(headerBytes, 0, headerLength, 8);
    let raw: unknown;
    try {
      raw = JSON.parse(headerBytes.toString('utf8'));
    } catch {
      throw fail('the header is not valid JSON');
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw fail('the header is not a JSON object');
    const { tensors, metadata } = parseEntries(raw as Record<string, unknown>, fail);
    checkByteRanges(tensors, fileSize - 8 - headerLength, fileSize, fail);
    return { file, fileSize, tensors, metadata };
  } finally {
    await handle.close();
  }
}

function parseEntries(raw: Record<string, unknown>, fail: (message: string) => DataError) {
  const tensors = new Map<string, SafetensorsEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (name === '__metadata__') {
      metadata = (typeof value === 'object' && value !== null ? value : {}) as Record<string, string>;
      continue;
    }
    const entry = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const { dtype, shape, data_offsets: offsets } = entry;
    if (typeof dtype !== 'string' || !Object.hasOwn(SAFETENSORS_DTYPE_BYTES, dtype)) {
      throw fail(`tensor ${name}: unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(SAFETENSORS_DTYPE_BYTES).join(', ')})`);
    }
    if (!Array.isArray(shape) || !shape.every(isNonNegativeInt)) throw fail(`tensor ${name}: invalid shape ${JSON.stringify(shape)}`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeInt) || (offsets[0] as number) > (offsets[1] as number)) {
      throw fail(`tensor ${name}: invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    const expectedBytes = (shape as number[]).reduce((n, d) => n * d, 1) * SAFETENSORS_DTYPE_BYTES[dtype]!;
    if (end - begin !== expectedBytes) {
      throw fail(`tensor ${name}: ${dtype} ${JSON.stringify(shape)} needs ${expectedBytes} bytes but data_offsets span ${end - begin}`);
    }
    tensors.set(name, { dtype, shape: shape as number[], dataOffsets: [begin, end] });
  }
  return { tensors, metadata };
}

function checkByteRanges(tensors: ReadonlyMap<string, SafetensorsEntry>, dataBytes: number, fileSize: number, fail: (message: string) => DataError): void {
  const ordered = [...tensors].sort(([, a], [, b]) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let previous: [string, SafetensorsEntry] | undefined;
  for (const current of ordered) {
    if (previous && current[1].dataOffsets[0] < previous[1].dataOffsets[1]) {
      throw fail(`tensors ${previous[0]} and ${current[0]} overlap (bytes ${JSON.stringify(previous[1].dataOffsets)} and ${JSON.stringify(current[1].dataOffsets)})`);
    }
    previous = current;
  }
  const last = ordered.reduce<[string, SafetensorsEntry] | undefined>((max, t) => (!max || t[1].dataOffsets[1] > max[1].dataOffsets[1] ? t : max), undefined);
  if (last && last[1].dataOffsets[1] > dataBytes) {
    const missing = last[1].dataOffsets[1] - dataBytes;
    throw fail(`truncated: tensor ${last[0]} ends ${missing} bytes past the end of the file (${fileSize} bytes)`);
  }
}

function isNonNegativeInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
