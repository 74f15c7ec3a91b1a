/** `rlaif push` against a local hub: what arrives, resuming, dry runs, missing tokens, hub faults. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIO } from '../../src/testing/capture-io.js';
import { FakeHub } from './fake-hub-server.js';
import { adapterBytes, writeRunFixture } from './run-fixture.js';

const TOKEN = 'hf_push_token_0123456789';
let scratch: string;
let hub: FakeHub;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'rlaif-push-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));
beforeEach(async () => {
  hub = await new FakeHub({ token: TOKEN, lfsThresholdBytes: 10 * 1024 * 1024 }).start();
});
afterEach(() => hub.stop());

async function push(args: string[], env: NodeJS.ProcessEnv = { HF_TOKEN: TOKEN, HF_ENDPOINT: hub.url, HOME: scratch }) {
  const io = captureIO(scratch, env);
  const code = await main(['push', ...args], io);
  return { code, stdout: io.out(), stderr: io.err() };
}

async function run(name: string): Promise<{ runDir: string; final: string }> {
  const runDir = path.join(scratch, name);
  return { runDir, final: await writeRunFixture(runDir) };
}

describe('rlaif push', () => {
  it('uploads the adapter with a model card and the datasets with theirs, byte for byte', async () => {
    const { runDir, final } = await run('full');
    const result = await push([runDir, '--repo', 'alice/coder', '--datasets', '--public']);
    expect(result.code, result.stderr).toBe(0);
    expect(hub.file('model', 'alice/coder', 'adapter_model.safetensors')!.equals(adapterBytes(2))).toBe(true);
    expect(hub.file('model', 'alice/coder', 'adapter_config.json')!.equals(await readFile(path.join(final, 'adapter_config.json')))).toBe(true);
    expect(hub.isPrivate('model', 'alice/coder')).toBe(false);

    const card = hub.file('model', 'alice/coder', 'README.md')!.toString('utf8');
    expect(card).toMatch(/^---\nbase_model:\n- Qwen\/Qwen2.5-Coder-0.5B-Instruct\nlibrary_name: peft\n/);
    expect(card).toMatch(/datasets:\n- alice\/coder-dataset\n---/);
    expect(card).toContain('| mean reward | 0.2 | 0.35 |');
    expect(card).toContain('tasks improved 2, degraded 0, equal 1');
    expect(card).toContain('![mean reward per batch](reward_curve.svg)');
    expect(card).toContain('PeftModel.from_pretrained(base, "alice/coder")');
    expect(card).toContain('| optimizer steps | 4 |');
    expect(hub.file('model', 'alice/coder', 'reward_curve.svg')!.toString('utf8')).toMatch(/^<svg/);

    for (const split of ['train', 'validation', 'evaluation']) {
      expect(hub.file('dataset', 'alice/coder-dataset', `${split}.jsonl`)!.equals(await readFile(path.join(runDir, 'datasets', `${split}.jsonl`)))).toBe(true);
    }
    const datasetCard = hub.file('dataset', 'alice/coder-dataset', 'README.md')!.toString('utf8');
    expect(datasetCard).toContain('configs:\n- config_name: default\n  data_files:\n  - split: train\n    path: train.jsonl\n  - split: validation');
    // Types are declared, so a column null in one split and set in another (phase, advantage) still loads.
    expect(datasetCard).toContain('  features:\n  - name: id\n    dtype: string\n');
    expect(datasetCard).toContain('  - name: breakdown\n    struct:\n    - name: correctness\n      dtype: float64\n');
    expect(datasetCard).toContain('  - name: phase\n    dtype: string\n');
    expect(datasetCard).toContain('- Student model: Qwen/Qwen2.5-Coder-0.5B-Instruct\n- Teacher: exec');
    expect(datasetCard).toContain('- Reward: ratio×1');
    expect(datasetCard).toContain('| python | 4 | 2 | 2 |');
    expect(datasetCard).toContain('| `student_code` | string | = `code`');
    expect(result.stdout).toContain(`model repository ${hub.url}/alice/coder`);
  });

  it('pushes a named checkpoint, and a second push of the same files sends nothing', async () => {
    const { runDir } = await run('again');
    const first = await push([path.join(runDir, 'checkpoints', 'checkpoint-e1-b2-gs2'), '--repo', 'alice/early']);
    expect(first.code, first.stderr).toBe(0);
    expect(hub.file('model', 'alice/early', 'adapter_model.safetensors')!.equals(adapterBytes(1))).toBe(true);
    expect(hub.isPrivate('model', 'alice/early')).toBe(true);
    const uploads = hub.requests.filter((r) => r.method === 'PUT').length;
    const second = await push([path.join(runDir, 'checkpoints', 'checkpoint-e1-b2-gs2'), '--repo', 'alice/early']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('already up to date, nothing committed');
    expect(hub.requests.filter((r) => r.method === 'PUT').length).toBe(uploads);
    expect(hub.commits('model', 'alice/early')).toHaveLength(2);
  });

  it('--format gguf exports through the backend and writes a llama.cpp card', async () => {
    const { runDir } = await run('gguf');
    // A backend double whose export writes the checkpoint's weights as one .gguf file.
    const backend = path.join(scratch, 'gguf-backend.mjs');
    await writeFile(
      backend,
      `import { copyFile } from 'node:fs/promises'; import path from 'node:path';
export default () => ({ specificationVersion: 'v1', kind: 'backend', name: 'gguf-double', load() { throw new Error('unused'); },
  async experimental_export({ checkpointDir, outputDir, format }) {
    if (format !== 'gguf') throw new Error('expected gguf, got ' + format);
    await copyFile(path.join(checkpointDir, 'adapter_model.safetensors'), path.join(outputDir, 'model.gguf'));
    return { outputDir, files: [path.join(outputDir, 'model.gguf')] };
  } });\n`,
    );
    const result = await push([runDir, '--repo', 'alice/coder-gguf', '--format', 'gguf', '--backend', backend]);
    expect(result.code, result.stderr).toBe(0);
    expect(hub.file('model', 'alice/coder-gguf', 'model.gguf')!.equals(adapterBytes(2))).toBe(true);
    const card = hub.file('model', 'alice/coder-gguf', 'README.md')!.toString('utf8');
    expect(card).toMatch(/library_name: gguf/);
    expect(card).toContain('llama-cli --hf-repo alice/coder-gguf --hf-file model.gguf');
  });

  it('--dry-run lists the files without a token and sends nothing', async () => {
    const { runDir } = await run('dry');
    const result = await push([runDir, '--repo', 'alice/coder', '--datasets', '--dry-run'], { HF_ENDPOINT: hub.url, HOME: scratch });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/model repository .*alice\/coder .*checkpoint-final-gs4:\n {2}adapter_config.json {2}\d+ B\n {2}adapter_model.safetensors {2}195.3 kB/);
    expect(result.stdout).toMatch(/dataset repository .*datasets\/alice\/coder-dataset[^\n]*:\n {2}train.jsonl/);
    expect(result.stdout).toContain('(dry run: nothing was sent)');
    expect(hub.requests).toEqual([]);
  });

  it('without a token fails before any request, saying how to log in (exit 3)', async () => {
    const { runDir } = await run('no-token');
    const result = await push([runDir, '--repo', 'alice/coder'], { HF_ENDPOINT: hub.url, HOME: scratch });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/needs a token, and none was found\n {2}→ set HF_TOKEN .*huggingface-cli login/);
    expect(hub.requests).toEqual([]);
  });

  it('a token that is not a hub token is named by where it came from (exit 3)', async () => {
    const { runDir } = await run('odd-token');
    const result = await push([runDir, '--repo', 'alice/coder'], { HF_TOKEN: 'sk-not-a-hub-token', HF_ENDPOINT: hub.url, HOME: scratch });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/the Hugging Face token from HF_TOKEN does not start with 'hf_'/);
    expect(hub.requests).toEqual([]);
  });

  it('reads the token from the file `huggingface-cli login` writes', async () => {
    const { runDir } = await run('token-file');
    const home = path.join(scratch, 'hf-home');
    await import('node:fs/promises').then((fs) => fs.mkdir(home, { recursive: true }));
    await writeFile(path.join(home, 'token'), `${TOKEN}\n`);
    const result = await push([runDir, '--repo', 'alice/from-file'], { HF_ENDPOINT: hub.url, HF_HOME: home });
    expect(result.code, result.stderr).toBe(0);
    expect(hub.commits('model', 'alice/from-file')).toHaveLength(2);
  });

  it('a refused commit ends with exit 5 and what to do; the run directory is untouched', async () => {
    const { runDir, final } = await run('failing');
    hub.inject({ method: 'POST', path: /\/commit\/main$/, status: 403 });
    const result = await push([runDir, '--repo', 'alice/coder', '--log-level', 'error']);
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/alice\/coder: could not upload 4 file\(s\)[\s\S]*→ the token may not write to alice\/coder/);
    expect(await readFile(path.join(final, 'adapter_model.safetensors'))).toEqual(adapterBytes(2));
    expect(hub.commits('model', 'alice/coder')).toHaveLength(1);
  });

  it('an adapter push of a full fine-tuning checkpoint says to push merged weights instead (exit 3)', async () => {
    const runDir = path.join(scratch, 'full-finetune');
    await writeRunFixture(runDir, undefined, { fullFineTuning: true });
    for (const args of [[runDir, '--repo', 'alice/full'], [runDir, '--repo', 'alice/full', '--dry-run']]) {
      const result = await push(args);
      expect(result.code, `${result.stdout}${result.stderr}`).toBe(3);
      expect(result.stderr).toMatch(/holds no LoRA adapter[\s\S]*→ push it as merged weights or GGUF: --format merged/);
    }
    expect(hub.commits('model', 'alice/full')).toEqual([]);
  });

  it('refuses a damaged final checkpoint, naming the file, instead of pushing an older one', async () => {
    const { runDir, final } = await run('damaged');
    await writeFile(path.join(final, 'adapter_model.safetensors'), adapterBytes(9));
    const result = await push([runDir, '--repo', 'alice/damaged']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${path.join(final, 'adapter_model.safetensors')}: the file is damaged`);
    expect(hub.commits('model', 'alice/damaged')).toEqual([]);
  });

  it("pushes the datasets from the folder the run recorded them in (the run's training.datasetsDir)", async () => {
    const runDir = path.join(scratch, 'own-datasets-dir');
    await writeRunFixture(runDir, { train: 2, validation: 1, evaluation: 1 }, { datasetsDir: 'out/data' });
    const result = await push([runDir, '--datasets', '--dataset-repo', 'alice/own-dir']);
    expect(result.code, result.stderr).toBe(0);
    expect(hub.file('dataset', 'alice/own-dir', 'train.jsonl')!.equals(await readFile(path.join(runDir, 'out/data/train.jsonl')))).toBe(true);
    expect(hub.commits('model', 'alice/coder')).toEqual([]);
  });

  it('a bad repository name is a usage error naming the flag', async () => {
    const { runDir } = await run('bad-name');
    const result = await push([runDir, '--repo', 'coder']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/--repo: 'coder' is not a hub repository name/);
  });
});
