/**
 * `rlaif generate` and `rlaif export` through the real CLI entry (in-process) on the committed tiny
 * Qwen2 checkpoint: greedy generation reproduces transformers' golden continuation, an adapter
 * changes it, and an exported merged model generates exactly what base + adapter generates.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, silentLogger } from '@rlaif/core';
import { captureIO } from '@rlaif/core/testing';
import { describe, expect, it } from 'vitest';
import { mlx } from '../src/backend.js';
import { OPT } from './options.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/tiny-qwen2', import.meta.url));

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIO(process.cwd(), process.env);
  const code = await runCli(argv, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

interface Generated {
  text: string;
  promptTokens: number[];
  completionTokens: number[];
  logprobs: number[];
}

describe('rlaif generate / export with the mlx backend', () => {
  it('reproduces the golden greedy continuation, applies adapters, and exports a merged model', async () => {
    const golden = JSON.parse(await readFile(path.join(FIXTURE, 'golden.json'), 'utf8')) as { prompt: string; promptIds: number[]; greedyIds: number[] };
    const base = await cli('generate', '--model', FIXTURE, '--prompt', golden.prompt, '--max-new-tokens', '32', '--json');
    expect(base.code, base.stderr).toBe(0);
    const generated = JSON.parse(base.stdout) as Generated;
    expect(generated.promptTokens).toEqual(golden.promptIds);
    expect(generated.completionTokens).toEqual(golden.greedyIds.slice(0, generated.completionTokens.length));
    expect(generated.logprobs).toHaveLength(generated.completionTokens.length);

    // Train a few SFT steps so the adapter is not the identity, then save a checkpoint.
    const policy = await mlx().load({
      model: { nameOrPath: FIXTURE, revision: 'main', dtype: 'float32', quantizeBits: 0, chatTemplate: false, systemPrompt: '' },
      lora: { rank: 4, alpha: 8, dropout: 0, targetModules: [] },
      optimization: { ...OPT, learningRate: 5e-2 },
      context: { runDir: os.tmpdir(), cacheDir: os.tmpdir(), logger: silentLogger, seed: 1, signal: new AbortController().signal },
    });
    const task = { id: 't', language: 'python' as const, prompt: golden.prompt, extra: {} };
    for (let i = 0; i < 4; i++) await policy.optimizer.supervisedStep([[{ task, completion: 'return fibonacci(n - 1) + fibonacci(n - 2)' }]]);
    const checkpoint = await mkdtemp(path.join(os.tmpdir(), 'rlaif-cli-ckpt-'));
    await policy.optimizer.save(checkpoint);
    await policy.close();

    const tuned = await cli('generate', '--model', FIXTURE, '--adapter', checkpoint, '--prompt', golden.prompt, '--max-new-tokens', '16', '--json');
    expect(tuned.code, tuned.stderr).toBe(0);
    const tunedTokens = (JSON.parse(tuned.stdout) as Generated).completionTokens;
    expect(tunedTokens).not.toEqual(generated.completionTokens.slice(0, tunedTokens.length));

    const merged = await mkdtemp(path.join(os.tmpdir(), 'rlaif-cli-merged-'));
    const exported = await cli('export', '--checkpoint', checkpoint, '--format', 'merged', '--output', merged, '--base-model', FIXTURE);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/model\.safetensors/);
    const fromMerged = await cli('generate', '--model', merged, '--prompt', golden.prompt, '--max-new-tokens', '16', '--json');
    expect(fromMerged.code, fromMerged.stderr).toBe(0);
    expect((JSON.parse(fromMerged.stdout) as Generated).completionTokens).toEqual(tunedTokens);

    const badFormat = await cli('export', '--checkpoint', checkpoint, '--format', 'onnx', '--output', merged);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatch(/--format must be one of peft, merged, gguf/);
  }, 120_000);
});
