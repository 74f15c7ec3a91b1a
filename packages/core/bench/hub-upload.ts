/**
 * Upload time of rlaif's hub client against Python's huggingface_hub (`upload_folder`), back to
 * back, to the same local hub (the test server, in its own process): a folder of one binary file
 * (LFS) and a README, fresh bytes each time so nothing is deduplicated. Prints each trial and the
 * median ratio. Needs a Python with huggingface_hub (RLAIF_PYTHON or python3).
 *
 *   npx jiti packages/core/bench/hub-upload.ts [megabytes=50] [trials=3]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commitFiles, ensureRepo } from '../src/hub/hub-client.js';
import { retryingFetch } from '../src/hub/retrying-fetch.js';

const megabytes = Number(process.argv[2] ?? 50);
const trials = Number(process.argv[3] ?? 3);
const python = process.env['RLAIF_PYTHON'] ?? 'python3';
const TOKEN = 'hf_bench_token_0123456789';
const server = fileURLToPath(new URL('./hub-server.ts', import.meta.url));

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited with ${code}`))));
  });
}

const PYTHON_UPLOAD = String.raw`
import sys, time
from huggingface_hub import HfApi
api = HfApi()
start = time.perf_counter()
api.create_repo(sys.argv[1], exist_ok=True)
api.upload_folder(repo_id=sys.argv[1], folder_path=sys.argv[2])
print(time.perf_counter() - start)
`;

async function folder(root: string, name: string): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'model.safetensors'), randomBytes(megabytes * 1024 * 1024));
  await writeFile(path.join(dir, 'README.md'), `# ${name}\n`);
  return dir;
}

const child = spawn(process.execPath, [fileURLToPath(new URL('../../../node_modules/jiti/lib/jiti-cli.mjs', import.meta.url)), server, TOKEN], { stdio: ['ignore', 'pipe', 'inherit'] });
const endpoint = await new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8').trim())));
const session = { endpoint, accessToken: TOKEN, fetch: retryingFetch() };
const scratch = await mkdtemp(path.join(os.tmpdir(), 'rlaif-hub-bench-'));
const ratios: number[] = [];
try {
  await ensureRepo(session, { type: 'model', name: 'bench/warm-up' }, { private: true }); // loads @huggingface/hub once
  for (let trial = 1; trial <= trials; trial++) {
    const ours = await folder(scratch, `ours-${trial}`);
    const repo = { type: 'model' as const, name: `bench/ours-${trial}` };
    const start = performance.now();
    await ensureRepo(session, repo, { private: true });
    await commitFiles(session, repo, ['model.safetensors', 'README.md'].map((f) => ({ pathInRepo: f, localPath: path.join(ours, f) })), { title: 'bench' });
    const oursSeconds = (performance.now() - start) / 1000;
    const theirs = await folder(scratch, `python-${trial}`);
    const env = { ...process.env, HF_ENDPOINT: endpoint, HF_TOKEN: TOKEN, HF_HUB_DISABLE_XET: '1', HF_HUB_DISABLE_PROGRESS_BARS: '1', HF_HOME: path.join(scratch, 'hf-home') };
    const pythonSeconds = Number((await run(python, ['-c', PYTHON_UPLOAD, `bench/python-${trial}`, theirs], env)).trim().split('\n').at(-1));
    ratios.push(oursSeconds / pythonSeconds);
    console.log(`trial ${trial}: ${megabytes} MB  rlaif ${oursSeconds.toFixed(2)} s  huggingface_hub ${pythonSeconds.toFixed(2)} s  ratio ${(oursSeconds / pythonSeconds).toFixed(2)}`);
    await rm(ours, { recursive: true });
    await rm(theirs, { recursive: true });
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  console.log(`median ratio rlaif / huggingface_hub: ${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)}`);
} finally {
  child.kill();
  await rm(scratch, { recursive: true, force: true });
}
