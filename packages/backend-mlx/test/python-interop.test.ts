/**
 * The exports load in the Python ecosystem: transformers loads the merged model and peft loads the
 * adapter onto the base, and both continue a prompt greedily with exactly our tokens. Runs only
 * where a Python with torch, transformers and peft is found (RLAIF_PYTHON, ./.venv, or python3);
 * CI has none, so there it does not run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mlx } from '../src/backend.js';
import { exportCheckpoint } from '../src/export/export-checkpoint.js';
import { findPython, fixtureModel, trainedAdapter } from './interop.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/tiny-qwen2', import.meta.url));
const python = findPython('torch, transformers, peft');

const SCRIPT = String.raw`
import json, sys, torch
from transformers import AutoModelForCausalLM
from peft import PeftModel
base_dir, adapter_dir, merged_dir, ids, n = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4]), int(sys.argv[5])
def greedy(model):
    model.eval()
    out = model.generate(torch.tensor([ids]), max_new_tokens=n, do_sample=False, eos_token_id=None, pad_token_id=0)
    return out[0, len(ids):].tolist()
merged = AutoModelForCausalLM.from_pretrained(merged_dir, torch_dtype=torch.float32)
peft = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base_dir, torch_dtype=torch.float32), adapter_dir)
print(json.dumps({"merged": greedy(merged), "peft": greedy(peft)}))
`;

describe.runIf(python)('exports load in Python transformers and peft', () => {
  it('continues a prompt with exactly our greedy tokens', async () => {
    const golden = JSON.parse(await readFile(path.join(FIXTURE, 'golden.json'), 'utf8')) as { prompt: string; promptIds: number[] };
    const backend = mlx();
    const model = fixtureModel(FIXTURE);
    const checkpoint = await trainedAdapter(FIXTURE, golden.prompt);
    const merged = await mkdtemp(path.join(os.tmpdir(), 'rlaif-interop-merged-'));
    await exportCheckpoint({ checkpointDir: checkpoint, baseModel: FIXTURE, format: 'merged', outputDir: merged });

    const n = 12;
    const ours = await backend.experimental_generateText!({
      model,
      adapterDir: checkpoint,
      prompt: golden.prompt,
      sampling: { temperature: 0, topP: 1, topK: 0, minP: 0, maxNewTokens: n, stop: [], seed: 0 },
    });
    expect(ours.promptTokens).toEqual(golden.promptIds);
    const run = spawnSync(python!, ['-c', SCRIPT, FIXTURE, checkpoint, merged, JSON.stringify(golden.promptIds), String(ours.completionTokens.length)], {
      encoding: 'utf8',
      env: { ...process.env, TRANSFORMERS_VERBOSITY: 'error', HF_HUB_OFFLINE: '1' },
    });
    expect(run.status, run.stderr).toBe(0);
    const theirs = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { merged: number[]; peft: number[] };
    expect(theirs.merged).toEqual(ours.completionTokens);
    expect(theirs.peft).toEqual(ours.completionTokens);
  }, 180_000);
});
