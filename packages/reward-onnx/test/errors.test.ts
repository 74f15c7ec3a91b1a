/** Bad model folders, options and inputs fail with a typed error naming the file or the option. */
import { cpSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '@rlaif/core';
import { sampleRollout, sampleTask, uniformScore } from '@rlaif/core/testing';
import { onnxReward } from '../src/index.js';

const fixtures = fileURLToPath(new URL('../fixtures', import.meta.url));
const context = { step: 1, logMetric: () => undefined };
const batch = [{ rollout: sampleRollout(sampleTask(), 'def add(a, b):\n    return a + b\n'), score: uniformScore(1), reference: null, referenceScore: null }];

/** A copy of a fixture to damage. */
function copyOf(name: string): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'rlaif-rm-')), name);
  cpSync(path.join(fixtures, name), dir, { recursive: true });
  return dir;
}

async function errorOf(run: () => unknown): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('a bad model folder', () => {
  it('that does not exist is refused when the reward is made', async () => {
    const error = await errorOf(() => onnxReward({ model: './no-such-rm' }));
    expect(DataError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/no-such-rm: reward model folder not found/);
  });

  it('without model.onnx names both places looked in', async () => {
    const dir = copyOf('bert');
    rmSync(path.join(dir, 'model.onnx'));
    const error = await errorOf(() => onnxReward({ model: dir }));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(/no model\.onnx or onnx\/model\.onnx.*\n.*optimum-cli export onnx/);
  });

  it('without tokenizer.json or config.json says which', async () => {
    const noTokenizer = copyOf('qwen2');
    rmSync(path.join(noTokenizer, 'tokenizer.json'));
    expect((await errorOf(() => onnxReward({ model: noTokenizer }))).message).toMatch(/has no tokenizer\.json/);
    const noConfig = copyOf('qwen2');
    rmSync(path.join(noConfig, 'config.json'));
    expect((await errorOf(() => onnxReward({ model: noConfig }))).message).toMatch(/has no config\.json/);
  });

  it('with a damaged model.onnx names the file when it loads', async () => {
    const dir = copyOf('bert');
    writeFileSync(path.join(dir, 'model.onnx'), 'version https://git-lfs.github.com/spec/v1\n');
    const error = await errorOf(() => onnxReward({ model: dir }).compute(batch, context));
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toContain(`${path.join(dir, 'model.onnx')}: ONNX Runtime cannot load the model`);
  });

  it('with malformed id2label names config.json and the key', async () => {
    const dir = copyOf('bert');
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', id2label: { '0': 'bad', '7': 'good' } }));
    const error = await errorOf(() => onnxReward({ model: dir }).ready());
    expect(error.message).toMatch(/config\.json: id2label: entry "7"/);
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', id2label: { '1': 'bad', '01': 'good' } }));
    expect((await errorOf(() => onnxReward({ model: dir }).ready())).message).toMatch(/config\.json: id2label: no name for label 0/);
  });
});

describe('a bad option', () => {
  const model = path.join(fixtures, 'bert');

  it('unknown: suggests the nearest one', async () => {
    const error = await errorOf(() => onnxReward({ model, batchsize: 4 } as never));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/onnxReward\.batchsize: unknown option.*\n.*did you mean 'batchSize'/);
  });

  it('of the wrong type or value names the key', async () => {
    expect((await errorOf(() => onnxReward({ model, truncation: 'middle' as never }))).message).toMatch(/onnxReward\.truncation: expected one of 'left', 'right', 'error'/);
    expect((await errorOf(() => onnxReward({ model, batchSize: 0 }))).message).toMatch(/onnxReward\.batchSize: expected a positive integer/);
  });

  it('an output the graph does not have: names the file, the outputs and the option', async () => {
    const error = await errorOf(() => onnxReward({ model, output: 'scores' }).ready());
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(/model\.onnx: the ONNX graph has no output 'scores' \(its outputs: logits\)\n.*set onnxReward\.output to one of 'logits'/);
  });

  it('a label the model does not have: lists its labels', async () => {
    const error = await errorOf(() => onnxReward({ model, label: 'great' }).ready());
    expect(error.message).toMatch(/onnxReward\.label: the model has no label "great" \(its labels in .*config\.json: 0 = 'bad', 1 = 'good'\)/);
  });

  it('maxLength beyond the position embeddings: names both', async () => {
    const error = await errorOf(() => onnxReward({ model, maxLength: 100 }).ready());
    expect(error.message).toMatch(/onnxReward\.maxLength: 100 is more than the model's max_position_embeddings \(64/);
  });
});

describe('a too-long input', () => {
  it("with truncation: 'error' names maxLength and the ways out", async () => {
    const long = [{ ...batch[0]!, rollout: sampleRollout(sampleTask(), 'return a + b '.repeat(40)) }];
    const error = await errorOf(() => onnxReward({ model: path.join(fixtures, 'bert'), truncation: 'error' }).compute(long, context));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/onnxReward\.maxLength: a text of \d+ tokens is longer than maxLength 64\n.*truncation: 'left'/);
  });
});
