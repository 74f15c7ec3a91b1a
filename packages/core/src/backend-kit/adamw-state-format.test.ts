import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors/index.js';
import { adamWMoments, momentKeys, OPTIMIZER_JSON_FILE, readAdamWJson, writeAdamWJson } from './adamw-state-format.js';

const state = { step: 7, parameters: ['a.weight', 'b.bias'], betas: [0.9, 0.999] as const, epsilon: 1e-8, weightDecay: 0.01 };

describe('AdamW state format', () => {
  it('writes optimizer.json and reads it back', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-adamw-json-'));
    await writeAdamWJson(dir, state);
    expect(JSON.parse(await readFile(path.join(dir, OPTIMIZER_JSON_FILE), 'utf8'))).toEqual({ format: 'rlaif-adamw-v1', ...state, betas: [0.9, 0.999] });
    expect(await readAdamWJson(dir)).toEqual({ format: 'rlaif-adamw-v1', ...state, betas: [0.9, 0.999] });
  });

  it('refuses a missing, malformed or foreign optimizer.json with a CheckpointError naming the file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-adamw-json-'));
    const file = path.join(dir, OPTIMIZER_JSON_FILE);
    await expect(readAdamWJson(dir)).rejects.toThrow(CheckpointError);
    await expect(readAdamWJson(dir)).rejects.toThrow(file);
    await writeFile(file, '{"step": 3');
    await expect(readAdamWJson(dir)).rejects.toThrow(/not valid JSON/);
    await writeFile(file, JSON.stringify({ format: 'adam-v9', step: 1, parameters: [] }));
    await expect(readAdamWJson(dir)).rejects.toThrow(/unknown optimizer state format adam-v9/);
  });

  it('looks both moments up by PyTorch\'s names and names a missing one', () => {
    const json = { format: 'rlaif-adamw-v1' as const, ...state };
    const tensors = new Map<string, number>([
      ['exp_avg.a.weight', 1],
      ['exp_avg_sq.a.weight', 2],
      ['exp_avg.b.bias', 3],
      ['exp_avg_sq.b.bias', 4],
    ]);
    expect(momentKeys('a.weight')).toEqual({ first: 'exp_avg.a.weight', second: 'exp_avg_sq.a.weight' });
    expect(adamWMoments(json, '/ckpt/optimizer.safetensors', (key) => tensors.get(key))).toEqual({ m: [1, 3], v: [2, 4] });
    tensors.delete('exp_avg_sq.b.bias');
    expect(() => adamWMoments(json, '/ckpt/optimizer.safetensors', (key) => tensors.get(key))).toThrow(/tensor exp_avg_sq\.b\.bias is missing/);
  });
});
