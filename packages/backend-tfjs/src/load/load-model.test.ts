import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSafetensorsHeader } from '@rlaif/hf';
import { describe, expect, it } from 'vitest';
import { tf } from '../engine/tf.js';
import { readFloat32Tensors } from '../safetensors/read-tensors.js';
import { loadModel } from './load-model.js';

const fixture = fileURLToPath(new URL('../../../backend-mlx/fixtures/tiny-qwen2', import.meta.url));

/** float32 → bfloat16 bits, rounding to nearest even (as torch does). */
function bf16Bits(value: number): number {
  const bits = new Uint32Array(new Float32Array([value]).buffer)[0]!;
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}

/** The fixture with its weights stored as BF16 (a header and data written here, the format's layout). */
async function bf16Copy(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-bf16-'));
  for (const name of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json']) await copyFile(path.join(fixture, name), path.join(dir, name));
  const tensors = await readFloat32Tensors(await readSafetensorsHeader(path.join(fixture, 'model.safetensors')));
  const header: Record<string, unknown> = {};
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, tensor] of tensors) {
    const bytes = Buffer.alloc(tensor.data.length * 2);
    tensor.data.forEach((v, i) => bytes.writeUInt16LE(bf16Bits(v), i * 2));
    header[name] = { dtype: 'BF16', shape: tensor.shape, data_offsets: [offset, offset + bytes.length] };
    offset += bytes.length;
    chunks.push(bytes);
  }
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  await writeFile(path.join(dir, 'model.safetensors'), Buffer.concat([length, json, ...chunks]));
  return dir;
}

describe('loading a bf16 checkpoint', () => {
  it('upcasts to float32, reports the extra memory, and matches transformers on the bf16-rounded weights', async () => {
    const golden = JSON.parse(await readFile(path.join(fixture, 'golden.json'), 'utf8')) as { promptIds: number[]; lastLogitsBf16Weights: number[]; logits: number[][] };
    const loaded = await loadModel(await bf16Copy());
    expect(loaded.storedDtypes).toEqual(['BF16']);
    expect(loaded.upcastBytes).toBe(loaded.parameterCount * 2);
    const last = tf.tidy(() => loaded.model.forward(tf.tensor2d([golden.promptIds], undefined, 'int32'), undefined, { lastOnly: true }).arraySync()[0]![0]!);
    const diff = (other: number[]) => Math.max(...last.map((v, i) => Math.abs(v - other[i]!)));
    expect(diff(golden.lastLogitsBf16Weights)).toBeLessThan(1e-4);
    // …and the rounding changed the logits, so the check above is not vacuous.
    expect(diff(golden.logits.at(-1)!)).toBeGreaterThan(1e-3);
    loaded.model.dispose();
  });
});
