/**
 * A hub id goes through @rlaif/hf's cache resolution: a snapshot in the Hugging Face cache layout is
 * used offline although it holds no safetensors (an ONNX reward model needs none).
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sampleRollout, sampleTask, uniformScore } from '@rlaif/core/testing';
import { isOnnxModelFile, onnxReward } from '../src/index.js';

const fixture = fileURLToPath(new URL('../fixtures/qwen2', import.meta.url));
const COMMIT = 'c'.repeat(40);

afterEach(() => vi.unstubAllEnvs());

describe('a hub id', () => {
  it('is read from the Hugging Face cache offline, with the same rewards as the folder', async () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'rlaif-rm-hub-'));
    const storage = path.join(cache, 'models--org--tiny-rm');
    cpSync(fixture, path.join(storage, 'snapshots', COMMIT), { recursive: true });
    mkdirSync(path.join(storage, 'refs'));
    writeFileSync(path.join(storage, 'refs', 'main'), COMMIT);
    vi.stubEnv('HF_HUB_CACHE', cache);
    vi.stubEnv('HF_HUB_OFFLINE', '1');
    const batch = [{ rollout: sampleRollout(sampleTask(), 'def add(a, b):\n    return a + b\n'), score: uniformScore(1), reference: null, referenceScore: null }];
    const context = { step: 1, logMetric: () => undefined };
    const fromHub = onnxReward({ model: 'org/tiny-rm' });
    const fromFolder = onnxReward({ model: fixture });
    expect((await fromHub.ready()).files.onnx).toBe(path.join(storage, 'snapshots', COMMIT, 'onnx', 'model.onnx'));
    expect(await fromHub.compute(batch, context)).toEqual(await fromFolder.compute(batch, context));
    await Promise.all([fromHub.release(), fromFolder.release()]);
  });

  it('that is not cached fails offline with what to do', async () => {
    vi.stubEnv('HF_HUB_CACHE', mkdtempSync(path.join(os.tmpdir(), 'rlaif-rm-hub-')));
    vi.stubEnv('HF_HUB_OFFLINE', '1');
    await expect(onnxReward({ model: 'org/absent-rm' }).ready()).rejects.toThrow(/org\/absent-rm@main is not in the Hugging Face cache.*\n.*HF_HUB_OFFLINE/);
  });

  it('downloads the configs, tokenizer files and the one graph, not other weights or graph variants', () => {
    const listed = ['config.json', 'tokenizer.json', 'chat_template.jinja', 'onnx/model.onnx', 'onnx/model.onnx_data', 'onnx/model_quantized.onnx', 'onnx/model_fp16.onnx', 'model.safetensors', 'pytorch_model.bin', 'onnx/config.json'];
    expect(listed.filter(isOnnxModelFile)).toEqual(['config.json', 'tokenizer.json', 'chat_template.jinja', 'onnx/model.onnx', 'onnx/model.onnx_data', 'onnx/config.json']);
  });
});
