import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '@rlaif/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readSafetensorsHeader } from './safetensors-header.js';

const scratch = mkdtempSync(join(tmpdir(), 'rlaif-st-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
// A safetensors file from a header object and a data length (the bytes are zeros).
function file(header: Record<string, unknown>, dataBytes: number): string {
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  const path = join(scratch, `f${counter++}.safetensors`);
  writeFileSync(path, Buffer.concat([length, json, Buffer.alloc(dataBytes)]));
  return path;
}

const good = {
  __metadata__: { format: 'pt' },
  a: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 24] },
  b: { dtype: 'BF16', shape: [4], data_offsets: [24, 32] },
};

describe('readSafetensorsHeader', () => {
  it('reads the tensors and metadata of a sound file', async () => {
    const header = await readSafetensorsHeader(file(good, 32));
    expect(header.metadata).toEqual({ format: 'pt' });
    expect(header.tensors.get('a')).toEqual({ dtype: 'F32', shape: [2, 3], dataOffsets: [0, 24] });
    expect([...header.tensors.keys()]).toEqual(['a', 'b']);
  });

  it.each([
    ['a file shorter than its last tensor', good, 31, /truncated: tensor b ends 1 bytes past the end/],
    ['a file shorter than its header', good, -1, /truncated: the header needs/],
    ['overlapping tensors', { ...good, b: { dtype: 'F32', shape: [2], data_offsets: [20, 28] } }, 32, /tensors a and b overlap/],
    ['an unknown dtype', { ...good, b: { dtype: 'F12', shape: [4], data_offsets: [24, 32] } }, 32, /tensor b: unknown dtype "F12"/],
    ['offsets that do not match the shape', { ...good, b: { dtype: 'F32', shape: [4], data_offsets: [24, 32] } }, 32, /tensor b: F32 \[4\] needs 16 bytes but data_offsets span 8/],
    ['a negative dimension', { ...good, b: { dtype: 'BF16', shape: [-4], data_offsets: [24, 32] } }, 32, /tensor b: invalid shape/],
  ])('rejects %s with a DataError naming the file and tensor', async (_, header, dataBytes, message) => {
    const path = dataBytes < 0 ? truncatedHeader(header) : file(header, dataBytes);
    const error = await readSafetensorsHeader(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).file).toBe(path);
    expect((error as DataError).message).toMatch(message);
    expect((error as DataError).message).toMatch(/download the model again/);
  });

  it('rejects bytes that are not a safetensors header', async () => {
    const path = join(scratch, 'text.safetensors');
    writeFileSync(path, 'version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n');
    await expect(readSafetensorsHeader(path)).rejects.toThrow(/not a safetensors file|truncated/);
  });
});

function truncatedHeader(header: Record<string, unknown>): string {
  const path = file(header, 0);
  const bytes = readFileSync(path);
  writeFileSync(path, bytes.subarray(0, 20));
  return path;
}
