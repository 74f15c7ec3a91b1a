/**
 * `rlaif run` with the `huggingface` section, against a local hub: a missing token fails before any
 * compute, a refused token before the model loads, checkpoints and the final model and datasets
 * arrive, and an upload that fails at the end leaves the run successful with how to retry.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend, Logger } from '@rlaif/core';
import { prepareRun, ratioReward, runTraining, silentLogger } from '@rlaif/core';
import { FakeHub } from '../../packages/core/test/hub/fake-hub-server.js';
import { FakePolicy, makeFakeTeacher } from '../trainer/doubles.js';

const TOKEN = 'hf_run_token_0123456789';
const FAST_RETRY = { policy: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 100, timeoutMs: 10_000 } };
let hub: FakeHub;

beforeEach(async () => {
  hub = await new FakeHub({ token: TOKEN, lfsThresholdBytes: 1024 }).start();
});
afterEach(() => hub.stop());

/** Adapter bytes the fake optimizer saves and the fake backend exports: a function of the policy version. */
const weights = (version: number) => Buffer.alloc(4096, version + 1);

function parts(policy: FakePolicy, loads: string[]) {
  (policy.optimizer as { save: (dir: string) => Promise<void> }).save = async (dir) => {
    await writeFile(path.join(dir, 'adapter_config.json'), JSON.stringify({ peft_type: 'LORA', base_model_name_or_path: 'tiny' }));
    await writeFile(path.join(dir, 'adapter_model.safetensors'), weights(policy.version));
  };
  const backend: Backend = {
    specificationVersion: 'v1',
    kind: 'backend',
    name: 'embedded',
    load: async () => {
      loads.push('load');
      return { generator: policy.generator, optimizer: policy.optimizer, info: { architecture: 'fake', parameters: 1, trainableParameters: 1, device: 'cpu', dtype: 'float32' }, close: async () => undefined };
    },
    experimental_export: async ({ checkpointDir, outputDir, format }) => {
      const file = path.join(outputDir, format === 'gguf' ? 'model.gguf' : 'model.safetensors');
      await writeFile(file, await readFile(path.join(checkpointDir, 'adapter_model.safetensors')));
      await writeFile(path.join(outputDir, 'config.json'), '{"model_type":"qwen2"}');
      return { outputDir, files: [file, path.join(outputDir, 'config.json')] };
    },
  };
  return { backend, teacher: makeFakeTeacher(), rewards: [{ fn: ratioReward(), weight: 1 }], sinks: [] };
}

async function project(huggingface: Record<string, unknown>): Promise<{ dir: string; configPath: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-run-push-'));
  const tasks = Array.from({ length: 4 }, (_, i) => JSON.stringify({ id: `t${i}`, language: i === 3 ? 'cpp' : 'python', prompt: `task ${i}`, reference: 'REF' }));
  await writeFile(path.join(dir, 'train.jsonl'), `${tasks.join('\n')}\n`);
  const config = {
    data: { trainFile: './train.jsonl', evalSplit: 0 },
    training: { epochs: 1, batchSize: 2, outputDir: './run', saveEveryBatches: 1, saveTotalLimit: 1 },
    logging: { baselineEvalBatches: 0, progress: 'none', logFile: false },
    huggingface,
  };
  const configPath = path.join(dir, 'rlaif.config.json');
  await writeFile(configPath, JSON.stringify(config));
  return { dir, configPath };
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => void lines.push(`${level}: ${message}`);
  return { lines, error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') };
}

async function train(huggingface: Record<string, unknown>, env: Record<string, string>) {
  const { dir, configPath } = await project(huggingface);
  const policy = new FakePolicy();
  const loads: string[] = [];
  const logger = recordingLogger();
  const prepared = await prepareRun({ configPath, cwd: dir, overrides: {}, logger, env, parts: parts(policy, loads) });
  const summary = await runTraining({ prepared, logger, signal: new AbortController().signal, stream: new PassThrough(), env, hubRetry: FAST_RETRY });
  return { dir, summary, logger, loads };
}

const PUSH_ALL = { pushModel: 'merged', pushDataset: true, repoId: 'alice/coder', datasetRepoId: 'alice/coder-data', pushEveryCheckpoint: true };

describe('rlaif run with huggingface uploads', () => {
  it('without a token stops in prepareRun, before any compute, naming the key and how to log in', async () => {
    const { dir, configPath } = await project(PUSH_ALL);
    const loads: string[] = [];
    const env = { HF_ENDPOINT: hub.url, HF_HOME: path.join(dir, 'no-hf-home') };
    const error = (await prepareRun({ configPath, cwd: dir, overrides: {}, logger: silentLogger, env, parts: parts(new FakePolicy(), loads) }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/huggingface.pushModel: uploading to the Hugging Face hub \(http:\/\/127\.0\.0\.1:\d+\) needs a token[\s\S]*→ set HF_TOKEN/);
    expect(loads).toEqual([]);
    expect(hub.requests).toEqual([]);
  });

  it('with a refused token stops before the model loads', async () => {
    const error = (await train(PUSH_ALL, { HF_TOKEN: 'hf_revoked_000000000', HF_ENDPOINT: hub.url }).catch((e: unknown) => e)) as Error & { code?: string };
    expect(error.code).toBe('RLAIF_HUB');
    expect(error.message).toMatch(/alice\/coder: could not create the repository[\s\S]*→ the token was refused/);
  });

  it('uploads every checkpoint as it is saved, then the merged model and the datasets', async () => {
    const { loads, logger } = await train(PUSH_ALL, { HF_TOKEN: TOKEN, HF_ENDPOINT: hub.url });
    expect(loads).toEqual(['load']);
    const titles = hub.commits('model', 'alice/coder').map((c) => c.title);
    // Two batches → two batch checkpoints (retention keeps one on disk, both were uploaded), then the final model.
    expect(titles.filter((t) => t.startsWith('Upload checkpoint-e1-b'))).toHaveLength(2);
    expect(titles.at(-1)).toMatch(/^Upload merged from checkpoint-final-gs2 \(rlaif\)$/);
    expect(hub.file('model', 'alice/coder', 'checkpoints/checkpoint-e1-b1-gs1/adapter_model.safetensors')).toEqual(weights(1));
    expect(hub.file('model', 'alice/coder', 'model.safetensors')).toEqual(weights(2));
    const card = hub.file('model', 'alice/coder', 'README.md')!.toString('utf8');
    expect(card).toMatch(/library_name: transformers/);
    expect(card).toContain('- Teacher: fake');
    expect(card).toContain('- Rewards: ratio×1');
    // No metrics sink wrote batches.jsonl here, so there is no curve to draw (`rlaif push` tests draw one).
    expect(hub.file('model', 'alice/coder', 'reward_curve.svg')).toBeUndefined();
    expect(card).not.toContain('reward_curve.svg');
    const rows = hub.file('dataset', 'alice/coder-data', 'train.jsonl')!.toString('utf8').trim().split('\n');
    expect(rows).toHaveLength(4 * 4);
    const datasetCard = hub.file('dataset', 'alice/coder-data', 'README.md')!.toString('utf8');
    expect(datasetCard).toContain('| cpp | 4 | 0 | 0 |');
    expect(datasetCard).not.toContain('path: validation.jsonl');
    expect(logger.lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('writes the run’s own dataset card with what produced the data', async () => {
    const { dir } = await train({}, {});
    const card = await readFile(path.join(dir, 'run', 'datasets', 'README.md'), 'utf8');
    expect(card).toContain('- Teacher: fake');
    expect(card).toContain('- Reward: ratio×1');
    expect(card).toContain('| python | 12 | 0 | 0 |');
  });

  it('an upload that fails at the end leaves the run successful, its outputs intact, and says how to retry', async () => {
    hub.inject({ method: 'POST', path: /^\/api\/models\/alice\/coder\/commit\/main$/, status: 503, times: 1000 });
    const { dir, summary, logger } = await train({ pushModel: 'adapter', repoId: 'alice/coder' }, { HF_TOKEN: TOKEN, HF_ENDPOINT: hub.url });
    expect(summary.durationSeconds).toBeGreaterThanOrEqual(0);
    const errors = logger.lines.filter((l) => l.startsWith('error'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/the upload failed; the run's outputs are complete on disk[\s\S]*→ retry with: rlaif push .*run --repo alice\/coder --format adapter/);
    expect(hub.commits('model', 'alice/coder')).toHaveLength(1);
    expect(await readFile(path.join(dir, 'run', 'summary.json'), 'utf8')).toContain('generation');
  });
});
