/** Copies of the golden tiny Qwen2 fixture, damaged the ways a bad download or a wrong config damages a model. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TINY_QWEN2 = fileURLToPath(new URL('../fixtures/tiny-qwen2', import.meta.url));

interface Entry {
  dtype: string;
  shape: number[];
  bytes: Buffer;
}

/** A fresh copy of the tiny Qwen2 folder in a temp dir. */
export function copyTinyQwen2(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rlaif-damaged-'));
  cpSync(TINY_QWEN2, dir, { recursive: true });
  return dir;
}

/** Rewrites `model.safetensors` in `dir` after `change` edits its tensors (a consistent file, only the content differs). */
export function rewriteWeights(dir: string, change: (tensors: Map<string, Entry>) => void): void {
  const file = path.join(dir, 'model.safetensors');
  const buffer = readFileSync(file);
  const headerLength = Number(buffer.readBigUInt64LE(0));
  const header = JSON.parse(buffer.toString('utf8', 8, 8 + headerLength)) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const tensors = new Map<string, Entry>();
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    tensors.set(name, { dtype: info.dtype, shape: info.shape, bytes: Buffer.from(buffer.subarray(8 + headerLength + info.data_offsets[0], 8 + headerLength + info.data_offsets[1])) });
  }
  change(tensors);
  const out: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const [name, entry] of tensors) {
    out[name] = { dtype: entry.dtype, shape: entry.shape, data_offsets: [offset, offset + entry.bytes.length] };
    offset += entry.bytes.length;
  }
  const json = Buffer.from(JSON.stringify(out));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(file, Buffer.concat([length, json, ...[...tensors.values()].map((e) => e.bytes)]));
}

/** Edits config.json in `dir`. */
export function editConfig(dir: string, change: (config: Record<string, unknown>) => void): void {
  const file = path.join(dir, 'config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(config);
  writeFileSync(file, JSON.stringify(config, null, 2));
}
