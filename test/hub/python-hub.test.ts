/**
 * The pushed repositories load in the Python tools, read from the local hub through HF_ENDPOINT:
 * a real run (tiny Qwen2 on node-mlx, exec teacher) pushes the merged model and the datasets,
 * `rlaif validate` adds the evaluation split and `rlaif push` pushes it and the same run's adapter;
 * `datasets.load_dataset` gives the three splits with the run's row counts, transformers loads the
 * merged model and peft the adapter, and both continue a prompt with the same greedy tokens. Runs only where a Python with huggingface_hub,
 * datasets, peft, transformers and torch is found (RLAIF_PYTHON, ./.venv, or python3); CI has none.
 * Needs the build (`npm run build`), bubblewrap and python3 like test/e2e/mlx-exec-run.test.ts.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPython } from '../../packages/backend-mlx/test/interop.js';
import { FakeHub } from '../../packages/core/test/hub/fake-hub-server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'packages/core/dist/cli/bin.js');
const config = path.join(root, 'test/hub/fixtures/mlx-exec-push.config.mjs');
const base = path.join(root, 'packages/backend-mlx/fixtures/tiny-qwen2');
const python = findPython('huggingface_hub, datasets, peft, transformers, torch');
const TOKEN = 'hf_python_token_0123456789';

const SCRIPT = String.raw`
import json, sys, torch
from datasets import load_dataset
from huggingface_hub import snapshot_download
from transformers import AutoModelForCausalLM
from peft import PeftModel
merged_repo, adapter_repo, data_repo, base_dir = sys.argv[1:5]
data = load_dataset(data_repo)
counts = {split: data[split].num_rows for split in data}
first = data["train"][0]
merged = AutoModelForCausalLM.from_pretrained(snapshot_download(merged_repo), torch_dtype=torch.float32)
peft = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base_dir, torch_dtype=torch.float32), adapter_repo)
ids = torch.tensor([[1, 2, 3, 4, 5]])
def greedy(model):
    model.eval()
    return model.generate(ids, max_new_tokens=8, do_sample=False, eos_token_id=None, pad_token_id=0)[0, 5:].tolist()
print(json.dumps({"counts": counts, "fields": sorted(first.keys()), "merged": greedy(merged), "peft": greedy(peft)}))
`;

/** Runs a command without blocking this process's event loop, which serves the local hub. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let hub: FakeHub;
beforeAll(async () => {
  hub = await new FakeHub({ token: TOKEN }).start();
});
afterAll(() => hub?.stop());

const TITLE = 'a run pushes merged weights and datasets, `rlaif push` the adapter, and Python reads all three';
const SKIPPED = ' (skipped: no Python with huggingface_hub, datasets, peft, transformers and torch; set RLAIF_PYTHON to one)';

if (!python) console.warn(`test/hub/python-hub.test.ts${SKIPPED}`);

describe('pushed repositories load in huggingface_hub, datasets, transformers and peft', () => {
  it.skipIf(!python)(python ? TITLE : `${TITLE}${SKIPPED}`, async () => {
    const out = path.join(await mkdtemp(path.join(os.tmpdir(), 'rlaif-python-hub-')), 'run');
    const env = { ...process.env, ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '', GEMINI_API_KEY: '', HF_TOKEN: TOKEN, HF_ENDPOINT: hub.url };
    const trained = await run(process.execPath, [bin, 'run', config, '--output-dir', out], env);
    expect(trained.status, `${trained.stdout}\n${trained.stderr}`).toBe(0);
    expect(trained.stderr).not.toMatch(/Hub: the upload failed/);
    expect(hub.file('dataset', 'alice/tiny-coder-data', 'evaluation.jsonl')).toBeUndefined(); // no rows yet
    // `rlaif validate` adds the evaluation split; pushing again sends it and the new card, not the unchanged splits.
    const validate = await run(process.execPath, [bin, 'validate', config, '--output-dir', out, '--samples', '2'], env);
    expect(validate.status, validate.stderr).toBe(0);
    const push = await run(process.execPath, [bin, 'push', out, '--repo', 'alice/tiny-coder-adapter', '--format', 'adapter', '--datasets', '--dataset-repo', 'alice/tiny-coder-data'], env);
    expect(push.status, push.stderr).toBe(0);
    expect(push.stdout).toMatch(/train.jsonl {2}[\d.]+ kB {2}\(unchanged, not sent\)/);

    const rows = (split: string) => readFileSync(path.join(out, 'datasets', `${split}.jsonl`), 'utf8').trim().split('\n').filter(Boolean).length;
    const check = await run(python!, ['-c', SCRIPT, 'alice/tiny-coder', 'alice/tiny-coder-adapter', 'alice/tiny-coder-data', base], {
      ...process.env, HF_ENDPOINT: hub.url, HF_TOKEN: TOKEN, HF_HOME: path.join(out, '..', 'hf-home'), HF_HUB_DISABLE_XET: '1', TRANSFORMERS_VERBOSITY: 'error', HF_HUB_DISABLE_PROGRESS_BARS: '1',
    });
    expect(check.status, check.stderr).toBe(0);
    const result = JSON.parse(check.stdout.trim().split('\n').at(-1)!) as { counts: Record<string, number>; fields: string[]; merged: number[]; peft: number[] };
    expect(result.counts).toEqual({ train: rows('train'), validation: rows('validation'), evaluation: rows('evaluation') });
    expect(result.fields).toEqual(expect.arrayContaining(['prompt', 'language', 'code', 'reference', 'score', 'teacher_score', 'reward']));
    expect(result.merged).toHaveLength(8);
    expect(result.peft).toEqual(result.merged);
    // Each checkpoint's adapter went up as it was saved.
    expect(hub.commits('model', 'alice/tiny-coder').filter((c) => c.title.startsWith('Upload checkpoint-')).length).toBeGreaterThanOrEqual(3);
  }, 600_000);
});
