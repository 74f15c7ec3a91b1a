import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors/rlaif-error.js';
import { findLatestCheckpoint, listCheckpoints, loadCheckpoint } from './catalog.js';
import type { SaveCheckpointRequest } from './checkpointer.js';
import { CheckpointManager } from './checkpointer.js';
import { MANIFEST_FILE } from './manifest.js';
import { formatCheckpointName } from './naming.js';

let runDir: string;
beforeEach(async () => {
  runDir = await mkdtemp(join(tmpdir(), 'rlaif-ckpt-'));
});
afterEach(async () => {
  await rm(runDir, { recursive: true, force: true });
});

function request(globalStep: number, overrides: Partial<SaveCheckpointRequest> = {}): SaveCheckpointRequest {
  return {
    name: formatCheckpointName({ kind: 'batch', epoch: 0, batch: globalStep, globalStep }),
    epoch: 0,
    batch: globalStep,
    globalStep,
    trainerState: { globalStep, rng: [1, 2, 3, 4] },
    trainingStats: { rewards: [0.5] },
    summary: { baselineReward: 0.25, averageReward: 0.5 },
    writeModelState: async (dir) => {
      await mkdir(join(dir, 'optimizer'));
      await writeFile(join(dir, 'adapter_model.safetensors'), Buffer.alloc(64, globalStep));
      await writeFile(join(dir, 'optimizer', 'state.bin'), 'adam');
    },
    appendOnlyFiles: {},
    ...overrides,
  };
}

const names = async () => (await listCheckpoints(runDir)).map((entry) => entry.name);

describe('CheckpointManager.save', () => {
  it('writes model state, JSON files and a manifest that lists them', async () => {
    const manager = new CheckpointManager(runDir, { now: () => new Date('2026-01-02T03:04:05.000Z') });
    await mkdir(join(runDir, 'datasets'));
    await writeFile(join(runDir, 'datasets', 'train.jsonl'), '{"id":1}\n');
    const entry = await manager.save(request(3, { appendOnlyFiles: { 'datasets/train.jsonl': 9 } }));
    expect(entry.path).toBe(join(runDir, 'checkpoints', 'checkpoint-e0-b3-gs3'));
    expect(entry.manifest).toMatchObject({ formatVersion: 1, complete: true, name: 'checkpoint-e0-b3-gs3', globalStep: 3, createdAt: '2026-01-02T03:04:05.000Z', appendOnlyFiles: { 'datasets/train.jsonl': 9 } });
    expect(entry.manifest.files.map((file) => file.path)).toEqual([
      'adapter_model.safetensors',
      'checkpoint_summary.json',
      'optimizer/state.bin',
      'trainer_state.json',
      'training_stats.json',
    ]);
    const summary = JSON.parse(await readFile(join(entry.path, 'checkpoint_summary.json'), 'utf8')) as Record<string, unknown>;
    expect(summary).toEqual({ epoch: 0, batch: 3, global_step: 3, baseline_reward: 0.25, reward_gain_from_baseline: 0.25, avg_reward: 0.5, timestamp: '2026-01-02T03:04:05.000Z' });
    expect(await readdir(join(runDir, 'checkpoints'))).toEqual(['checkpoint-e0-b3-gs3']);

    const loaded = await loadCheckpoint(runDir, 'latest');
    expect(loaded.trainerState).toEqual({ globalStep: 3, rng: [1, 2, 3, 4] });
    expect((await loadCheckpoint(runDir, 'checkpoint-e0-b3-gs3')).manifest).toEqual(entry.manifest);
    expect((await loadCheckpoint(runDir, entry.path)).name).toBe('checkpoint-e0-b3-gs3');
  });

  it('refuses to record more bytes than an append-only file holds', async () => {
    const manager = new CheckpointManager(runDir);
    await expect(manager.save(request(1, { appendOnlyFiles: { 'datasets/train.jsonl': 5 } }))).rejects.toThrow(/0 bytes on disk but 5 were recorded/);
    await expect(manager.save(request(1, { appendOnlyFiles: { '../escape.jsonl': 0 } }))).rejects.toThrow(/relative to the run directory/);
    expect(await names()).toEqual([]);
  });

  it('rejects state that is not JSON and model state that takes a reserved name', async () => {
    const manager = new CheckpointManager(runDir);
    await expect(manager.save(request(1, { trainerState: { n: 1n } }))).rejects.toThrow(/not serialisable/);
    const clobber = request(2, { writeModelState: (dir) => writeFile(join(dir, 'trainer_state.json'), '{}') });
    await expect(manager.save(clobber)).rejects.toBeInstanceOf(CheckpointError);
    expect(await readdir(join(runDir, 'checkpoints'))).toEqual([]);
  });

  it('wraps a failing writeModelState and leaves no temp folder', async () => {
    const manager = new CheckpointManager(runDir);
    await manager.save(request(1));
    const failing = request(2, { writeModelState: () => Promise.reject(new Error('disk full')) });
    await expect(manager.save(failing)).rejects.toThrow(/saving the checkpoint failed: disk full/);
    expect(await readdir(join(runDir, 'checkpoints'))).toEqual(['checkpoint-e0-b1-gs1']);
  });

  it('keeps saveTotalLimit checkpoints by global step, never the new one, always the SFT and final ones', async () => {
    const manager = new CheckpointManager(runDir, { saveTotalLimit: 2 });
    await manager.save(request(0, { name: 'checkpoint-sft-gs0' }));
    for (const step of [1, 2, 3]) await manager.save(request(step));
    expect(await names()).toEqual(['checkpoint-sft-gs0', 'checkpoint-e0-b2-gs2', 'checkpoint-e0-b3-gs3']);
    await manager.save(request(4, { name: 'checkpoint-final-gs4' }));
    expect(await names()).toEqual(['checkpoint-sft-gs0', 'checkpoint-e0-b2-gs2', 'checkpoint-e0-b3-gs3', 'checkpoint-final-gs4']);
    // A save at a lower step (after resuming from an old checkpoint) is still kept.
    await manager.save(request(0, { name: 'checkpoint-gs0-e0-b0' }));
    expect(await names()).toEqual(['checkpoint-sft-gs0', 'checkpoint-gs0-e0-b0', 'checkpoint-e0-b3-gs3', 'checkpoint-final-gs4']);
  });

  it('replaces a checkpoint saved again under the same name', async () => {
    const manager = new CheckpointManager(runDir);
    await manager.save(request(1));
    await manager.save(request(1, { trainerState: { second: true } }));
    expect(await names()).toEqual(['checkpoint-e0-b1-gs1']);
    expect((await loadCheckpoint(runDir)).trainerState).toEqual({ second: true });
  });
});

describe('incomplete checkpoints', () => {
  it('are ignored by list and latest, refused by load, and cleaned on the next save', async () => {
    const manager = new CheckpointManager(runDir);
    await manager.save(request(1));
    const checkpoints = join(runDir, 'checkpoints');
    // A crash mid-save leaves a temp folder, or a renamed folder whose manifest was never written.
    await mkdir(join(checkpoints, '.tmp-checkpoint-e0-b2-gs2'));
    await mkdir(join(checkpoints, 'checkpoint-e0-b3-gs3'));
    await writeFile(join(checkpoints, 'checkpoint-e0-b3-gs3', 'trainer_state.json'), '{}');
    expect(await names()).toEqual(['checkpoint-e0-b1-gs1']);
    expect((await findLatestCheckpoint(runDir))?.name).toBe('checkpoint-e0-b1-gs1');
    const error = (await loadCheckpoint(runDir, 'checkpoint-e0-b3-gs3').catch((caught: unknown) => caught)) as CheckpointError;
    expect(error).toBeInstanceOf(CheckpointError);
    expect(error.message).toMatch(/incomplete checkpoint/);
    expect(error.hint).toMatch(/latest/);

    await manager.save(request(4));
    expect((await readdir(checkpoints)).sort()).toEqual(['checkpoint-e0-b1-gs1', 'checkpoint-e0-b4-gs4']);
  });

  it('a checkpoint whose files changed after saving is not complete', async () => {
    const manager = new CheckpointManager(runDir);
    const entry = await manager.save(request(1));
    await writeFile(join(entry.path, 'adapter_model.safetensors'), 'truncated');
    expect(await findLatestCheckpoint(runDir)).toBeNull();
    await expect(loadCheckpoint(runDir, entry.path)).rejects.toThrow(/records 64 bytes/);
  });

  it('load reports a missing directory, an empty run, and a corrupt manifest', async () => {
    await expect(loadCheckpoint(runDir)).rejects.toThrow(/no complete checkpoint to resume from/);
    await expect(loadCheckpoint(runDir, 'checkpoint-e9-b9-gs9')).rejects.toThrow(/checkpoint directory not found/);
    const entry = await new CheckpointManager(runDir).save(request(1));
    await writeFile(join(entry.path, MANIFEST_FILE), '{"formatVersion": 1}');
    await expect(loadCheckpoint(runDir, entry.name)).rejects.toThrow(/corrupt manifest\.json/);
  });
});
