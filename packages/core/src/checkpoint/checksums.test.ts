import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors/rlaif-error.js';
import { LATEST_INTACT, loadCheckpoint } from './catalog.js';
import { CheckpointManager } from './checkpointer.js';
import { MANIFEST_FILE } from './manifest.js';
import { formatCheckpointName } from './naming.js';

let runDir: string;
beforeEach(async () => {
  runDir = await mkdtemp(join(tmpdir(), 'rlaif-checksums-'));
});
afterEach(async () => {
  await rm(runDir, { recursive: true, force: true });
});

const WEIGHTS = 'adapter_model.safetensors';

async function save(manager: CheckpointManager, step: number): Promise<string> {
  const name = formatCheckpointName({ kind: 'batch', epoch: 0, batch: step - 1, globalStep: step });
  await manager.save({
    name,
    epoch: 0,
    batch: step - 1,
    globalStep: step,
    trainerState: { step },
    trainingStats: {},
    summary: { baselineReward: null, averageReward: null },
    appendOnlyFiles: {},
    writeModelState: (dir) => writeFile(join(dir, WEIGHTS), Buffer.alloc(4096, step)),
  });
  return name;
}

// Flips one bit in the middle of a file: same size, different content.
async function flipByte(file: string): Promise<void> {
  const bytes = await readFile(file);
  const at = bytes.length >> 1;
  bytes[at] = bytes[at]! ^ 0x01;
  await writeFile(file, bytes);
}

describe('checkpoint checksums', () => {
  it('records a SHA-256 for every file and verifies it on load', async () => {
    const manager = new CheckpointManager(runDir);
    const name = await save(manager, 1);
    const manifest = JSON.parse(await readFile(join(runDir, 'checkpoints', name, MANIFEST_FILE), 'utf8')) as { files: { path: string; sha256?: string }[] };
    expect(manifest.files.map((f) => f.path)).toContain(WEIGHTS);
    expect(manifest.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256 ?? ''))).toBe(true);
    expect((await loadCheckpoint(runDir)).name).toBe(name);
  });

  it('refuses a checkpoint with a flipped byte in its weights, naming the file', async () => {
    const manager = new CheckpointManager(runDir);
    await save(manager, 1);
    const newest = await save(manager, 2);
    const damaged = join(runDir, 'checkpoints', newest, WEIGHTS);
    await flipByte(damaged);
    const error = await loadCheckpoint(runDir, 'latest').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).path).toBe(damaged);
    expect((error as CheckpointError).message).toMatch(/the file is damaged: its SHA-256 differs/);
    expect((error as CheckpointError).message).toMatch(/--resume latest-intact/);
    await expect(loadCheckpoint(runDir, newest)).rejects.toThrow(CheckpointError);
  });

  it('latest-intact falls back to the newest checkpoint that verifies and says which it passed over', async () => {
    const manager = new CheckpointManager(runDir);
    const older = await save(manager, 1);
    const newest = await save(manager, 2);
    await flipByte(join(runDir, 'checkpoints', newest, WEIGHTS));
    const loaded = await loadCheckpoint(runDir, LATEST_INTACT);
    expect(loaded.name).toBe(older);
    expect(loaded.trainerState).toEqual({ step: 1 });
    expect(loaded.skipped).toEqual([{ name: newest, reason: expect.stringMatching(/adapter_model\.safetensors: the file is damaged/) }]);
    await flipByte(join(runDir, 'checkpoints', older, WEIGHTS));
    await expect(loadCheckpoint(runDir, LATEST_INTACT)).rejects.toThrow(/no checkpoint verifies: checkpoint-e0-b1-gs2 .*; checkpoint-e0-b0-gs1/);
  });

  it('still loads a checkpoint written before checksums were recorded', async () => {
    const manager = new CheckpointManager(runDir);
    const name = await save(manager, 1);
    const file = join(runDir, 'checkpoints', name, MANIFEST_FILE);
    const manifest = JSON.parse(await readFile(file, 'utf8')) as { files: { sha256?: string }[] };
    for (const entry of manifest.files) delete entry.sha256;
    await writeFile(file, JSON.stringify(manifest));
    expect((await loadCheckpoint(runDir)).name).toBe(name);
  });
});
