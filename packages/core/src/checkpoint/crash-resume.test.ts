import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A real SIGKILL mid-run, then a resume: the dataset must hold every row exactly once.
const SRC = dirname(dirname(fileURLToPath(import.meta.url)));
const JITI_CLI = join(dirname(createRequire(import.meta.url).resolve('jiti/package.json')), 'lib', 'jiti-cli.mjs');
const BATCHES = 10;
const TASKS_PER_BATCH = 4;

// The child "trains": per batch, one append per task, flush, checkpoint every 2 batches.
const CHILD = `
import { CheckpointManager, formatCheckpointName } from ${JSON.stringify(join(SRC, 'checkpoint', 'index.ts'))};
import { DATASET_FILES, DatasetRecorder } from ${JSON.stringify(join(SRC, 'dataset', 'index.ts'))};
const runDir = process.argv[2];
const manager = new CheckpointManager(runDir, { saveTotalLimit: 2 });
let next = 0;
if ((await manager.list()).length > 0) {
  const checkpoint = await manager.load('latest');
  await manager.prepareResume(checkpoint.manifest, { knownAppendOnlyFiles: DATASET_FILES });
  next = checkpoint.trainerState.nextBatch;
}
const recorder = await DatasetRecorder.open(runDir);
for (let batch = next; batch < ${BATCHES}; batch++) {
  for (let t = 0; t < ${TASKS_PER_BATCH}; t++) {
    const task = { id: 'task-' + t, language: 'python', prompt: 'p' + t, extra: {} };
    const rollout = { task, sampleIndex: 0, text: 'x'.repeat(2000), code: 'x', promptTokens: [1], completionTokens: [2],
      behaviourLogprobs: [-1], finishReason: 'eos', policyVersion: batch, generationMs: 1 };
    await recorder.append('train', [{ rollout, score: null, reference: null, teacherScore: null, reward: 0.5,
      advantage: 0, epoch: 0, batch, step: batch + 1 }]);
  }
  const appendOnlyFiles = await recorder.flush();
  if ((batch + 1) % 2 === 0) {
    await manager.save({ name: formatCheckpointName({ kind: 'batch', epoch: 0, batch, globalStep: batch + 1 }), epoch: 0, batch,
      globalStep: batch + 1, trainerState: { nextBatch: batch + 1 }, trainingStats: {},
      summary: { baselineReward: null, averageReward: 0.5 }, appendOnlyFiles });
  }
  process.stdout.write('batch ' + batch + '\\n');
}
await recorder.close();
process.stdout.write('done\\n');
`;

/** Runs the child; kills it with SIGKILL as soon as `killAfter` appears on its stdout. */
function runChild(script: string, runDir: string, killAfter?: string): Promise<{ output: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [JITI_CLI, script, runDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (killAfter !== undefined && output.includes(killAfter)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === null && code !== 0) reject(new Error(`child exited with ${code}: ${errors}`));
      else resolve({ output, signal });
    });
  });
}

describe('crash and resume', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rlaif-crash-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a run killed with SIGKILL mid-batch resumes with every row exactly once', async () => {
    const script = join(dir, 'child.ts');
    await writeFile(script, CHILD);
    const runDir = join(dir, 'run');
    const first = await runChild(script, runDir, 'batch 4\n');
    expect(first.signal).toBe('SIGKILL');
    expect(first.output).not.toContain('done');

    const second = await runChild(script, runDir);
    expect(second.output).toContain('done');
    const rows = (await readFile(join(runDir, 'datasets', 'train.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { id: string; batch: number; step: number });
    const expected = Array.from({ length: BATCHES }, (_, batch) =>
      Array.from({ length: TASKS_PER_BATCH }, (_, t) => `train-e0-b${batch}-s0-task-${t}`),
    ).flat();
    expect(rows.map((row) => row.id)).toEqual(expected);
    expect(rows.map((row) => row.step)).toEqual(rows.map((row) => row.batch + 1));
  });
});
