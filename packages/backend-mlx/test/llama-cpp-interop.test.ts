/**
 * The GGUF export runs in llama.cpp: for each architecture, a trained LoRA checkpoint is exported to
 * GGUF (f32) and loaded by llama.cpp through its Python binding, which must tokenize the prompt into
 * our ids (the tokenizer metadata is right) and continue it greedily with exactly the tokens our
 * backend generates with the adapter (weights, names, RoPE layout and hyper-parameters are right);
 * and the base weights, exported f32 and f16, must give transformers' golden logits. Runs only where a Python with `llama_cpp` (llama-cpp-python) is found (RLAIF_PYTHON,
 * ./.venv, or python3); CI has none, so there it does not run.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mlx } from '../src/backend.js';
import { exportCheckpoint } from '../src/export/export-checkpoint.js';
import { findPython, fixtureModel, trainedAdapter } from './interop.js';

const python = findPython('llama_cpp');

// What llama.cpp makes of a GGUF file: its tokenization of `prompt`, the logits at every position of
// `ids`, and a greedy continuation of `ids` token by token from its own logits (no sampler chain). The KV
// cache is float32 (llama.cpp's default is f16), so f32 weights compare at float32 precision.
const SCRIPT = String.raw`
import json, sys
import numpy as np
from llama_cpp import Llama
model_path, prompt, ids, n = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4])
llm = Llama(model_path=model_path, n_ctx=256, n_threads=2, logits_all=True, verbose=False, type_k=0, type_v=0)
# add_bos=True adds BOS only where the GGUF says the tokenizer does (tokenizer.ggml.add_bos_token).
tokens = llm.tokenize(prompt.encode("utf-8"), add_bos=True, special=True)
llm.eval(ids)
logits = [llm.scores[i].tolist() for i in range(len(ids))]
out = []
for _ in range(n):
    next_id = int(np.argmax(llm.scores[llm.n_tokens - 1]))
    out.append(next_id)
    llm.eval([next_id])
print(json.dumps({"tokens": tokens, "logits": logits, "greedy": out}))
`;

function inLlamaCpp(gguf: string, prompt: string, ids: readonly number[], newTokens: number): { tokens: number[]; logits: number[][]; greedy: number[] } {
  const run = spawnSync(python!, ['-c', SCRIPT, gguf, prompt, JSON.stringify(ids), String(newTokens)], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { tokens: number[]; logits: number[][]; greedy: number[] };
}

// The tiny fixtures' tokenizers use ByteLevel's own GPT-2 split; real Qwen2.5 and Llama 3 checkpoints
// split with their own regex first. Both are exported and must tokenize alike in llama.cpp.
const SPLITS = {
  qwen2: String.raw`(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
  llama3: String.raw`(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
};

const CASES = [
  { fixtureName: 'tiny-qwen2', split: undefined },
  { fixtureName: 'tiny-llama', split: undefined },
  { fixtureName: 'tiny-qwen2', split: SPLITS.qwen2 },
  { fixtureName: 'tiny-llama', split: SPLITS.llama3 },
] as const;

/** A copy of `fixture` whose tokenizer splits with `split` (a Split + ByteLevel sequence, as real checkpoints do). */
async function withSplit(fixture: string, split: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-llamacpp-model-'));
  await cp(fixture, dir, { recursive: true });
  const file = path.join(dir, 'tokenizer.json');
  const tokenizer = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  tokenizer['pre_tokenizer'] = {
    type: 'Sequence',
    pretokenizers: [
      { type: 'Split', pattern: { Regex: split }, behavior: 'Isolated', invert: false },
      { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
    ],
  };
  await writeFile(file, JSON.stringify(tokenizer));
  return dir;
}

describe.runIf(python)('the GGUF export runs in llama.cpp', () => {
  for (const { fixtureName, split } of CASES) {
    it(`${fixtureName}${split ? ' with its family\'s split regex' : ''}: same tokenization and the same greedy continuation as ours`, async () => {
      const original = fileURLToPath(new URL(`../fixtures/${fixtureName}`, import.meta.url));
      const fixture = split ? await withSplit(original, split) : original;
      const golden = JSON.parse(await readFile(path.join(fixture, 'golden.json'), 'utf8')) as { prompt: string; promptIds: number[] };
      // Multi-digit numbers, an apostrophe and trailing spaces: where the split regexes differ.
      const prompt = `${golden.prompt}    total = 12345 + n  # it's 7\n`;
      const backend = mlx();
      const model = fixtureModel(fixture);
      const checkpoint = await trainedAdapter(fixture, golden.prompt);
      const out = await mkdtemp(path.join(os.tmpdir(), 'rlaif-llamacpp-gguf-'));
      await exportCheckpoint({ checkpointDir: checkpoint, baseModel: fixture, format: 'gguf', outputDir: out, ggufType: 'f32' });

      const n = 24;
      const ours = await backend.experimental_generateText!({
        model,
        adapterDir: checkpoint,
        prompt,
        sampling: { temperature: 0, topP: 1, topK: 0, minP: 0, maxNewTokens: n, stop: [], seed: 0 },
      });
      const theirs = inLlamaCpp(path.join(out, 'model.gguf'), prompt, ours.promptTokens, ours.completionTokens.length);
      expect(theirs.tokens).toEqual(ours.promptTokens);
      expect(theirs.greedy).toEqual(ours.completionTokens);
    }, 180_000);
  }

  // The base weights (an untrained adapter merges to them) against transformers' golden logits and
  // greedy tokens: f32 within the golden tests' 1e-4 (measured 3e-6), f16 (the default) within its rounding (4.5e-3).
  for (const [fixtureName, ggufType, tolerance] of [
    ['tiny-qwen2', 'f32', 1e-4],
    ['tiny-llama', 'f32', 1e-4],
    ['tiny-qwen2', 'f16', 1e-2],
    ['tiny-llama', 'f16', 1e-2],
  ] as const) {
    it(`${fixtureName}, ${ggufType}: the golden logits (within ${tolerance})${ggufType === 'f32' ? ' and greedy continuation' : ''} of transformers`, async () => {
      const fixture = fileURLToPath(new URL(`../fixtures/${fixtureName}`, import.meta.url));
      const golden = JSON.parse(await readFile(path.join(fixture, 'golden.json'), 'utf8')) as { promptIds: number[]; logits: number[][]; greedyIds: number[] };
      const checkpoint = await trainedAdapter(fixture, '', 0);
      const out = await mkdtemp(path.join(os.tmpdir(), 'rlaif-llamacpp-golden-'));
      await exportCheckpoint({ checkpointDir: checkpoint, baseModel: fixture, format: 'gguf', outputDir: out, ggufType });
      const theirs = inLlamaCpp(path.join(out, 'model.gguf'), '', golden.promptIds, golden.greedyIds.length);
      let worst = 0;
      golden.logits.forEach((row, i) => row.forEach((value, j) => (worst = Math.max(worst, Math.abs(value - theirs.logits[i]![j]!)))));
      expect(worst).toBeLessThan(tolerance);
      if (ggufType === 'f32') expect(theirs.greedy).toEqual(golden.greedyIds);
    }, 180_000);
  }
});
