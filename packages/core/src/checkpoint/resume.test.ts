import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors/rlaif-error.js';
import { AppendOnlyFile } from '../io/append-only-file.js';
import { listCheckpoints, loadCheckpoint } from './catalog.js';
import { CheckpointManager } from './checkpointer.js';
import { formatCheckpointName } from './naming.js';
import { prepareResume } from './resume.js';

let runDir: string;
beforeEach(async () => {
  runDir = await mkdtemp(join(tmpdir(), 'rlaif-resume-'));
});
afterEach(async () => {
  await rm(runDir, { recursive: true, force: true });
});

const LOG = 'logs/json_summaries/batches.jsonl';

/** Appends one JSON line per step to the batches log and saves a checkpoint after `checkpointAt` steps. */
async function runSteps(manager: CheckpointManager, from: number, to: number, checkpointAt: readonly number[]): Promise<void> {
  const log = await AppendOnlyFile.open(join(runDir, LOG));
  for (let step = from; step < to; step++) {
    await log.append(JSON.stringify({ step }));
    const bytes = await log.flush();
    if (checkpointAt.includes(step + 1)) {
      await manager.save({
        name: formatCheckpointName({ kind: 'batch', epoch: 0, batch: step, globalStep: step + 1 }),
        epoch: 0,
        batch: step,
        globalStep: step + 1,
        trainerState: { nextStep: step + 1 },
        trainingStats: {},
        summary: { baselineReward: null, averageReward: null },
        appendOnlyFiles: { [LOG]: bytes },
      });
    }
  }
  await log.close();
}

const loggedSteps = async () =>
  (await readFile(join(runDir, LOG), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { step: number }).step);

describe('prepareResume', () => {
  it('drops rows written after the checkpoint and a torn last line, so replay writes each row once', async () => {
    const manager = new CheckpointManager(runDir);
    await runSteps(manager, 0, 5, [2, 4]);
    // The process dies mid-write of step 5's line.
    await appendFile(join(runDir, LOG), '{"step": 5, "lo');
    const checkpoint = await loadCheckpoint(runDir, 'latest');
    expect(checkpoint.name).toBe('checkpoint-e0-b3-gs4');
    const result = await prepareResume(runDir, checkpoint.manifest);
    expect(result.truncated).toHaveLength(1);
    expect(await loggedSteps()).toEqual([0, 1, 2, 3]);

    await runSteps(manager, (checkpoint.trainerState as { nextStep: number }).nextStep, 7, [6]);
    expect(await loggedSteps()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('resuming from an older checkpoint deletes the later ones, whose rows are cut away', async () => {
    const manager = new CheckpointManager(runDir);
    await runSteps(manager, 0, 6, [2, 4, 6]);
    const older = await loadCheckpoint(runDir, 'checkpoint-e0-b1-gs2');
    const result = await manager.prepareResume(older.manifest);
    expect(result.removedCheckpoints).toEqual(['checkpoint-e0-b3-gs4', 'checkpoint-e0-b5-gs6']);
    expect((await listCheckpoints(runDir)).map((entry) => entry.name)).toEqual(['checkpoint-e0-b1-gs2']);
    expect(await loggedSteps()).toEqual([0, 1]);
  });

  it('truncates known append-only files the checkpoint does not record to empty', async () => {
    const manager = new CheckpointManager(runDir);
    await runSteps(manager, 0, 2, [2]);
    await mkdir(join(runDir, 'datasets'));
    await writeFile(join(runDir, 'datasets', 'evaluation.jsonl'), '{"id":"late"}\n');
    const { manifest } = await loadCheckpoint(runDir);
    await prepareResume(runDir, manifest, { knownAppendOnlyFiles: ['datasets/evaluation.jsonl', 'datasets/train.jsonl'] });
    expect(await readFile(join(runDir, 'datasets', 'evaluation.jsonl'), 'utf8')).toBe('');
    expect(await loggedSteps()).toEqual([0, 1]);
  });

  it('refuses, changing nothing, when a file is shorter than recorded', async () => {
    const manager = new CheckpointManager(runDir);
    await runSteps(manager, 0, 3, [2]);
    await runSteps(manager, 3, 4, [4]);
    const { manifest } = await loadCheckpoint(runDir, 'checkpoint-e0-b1-gs2');
    await writeFile(join(runDir, LOG), '{"step":0}\n');
    const error = (await prepareResume(runDir, manifest).catch((caught: unknown) => caught)) as CheckpointError;
    expect(error).toBeInstanceOf(CheckpointError);
    expect(error.message).toMatch(/batches\.jsonl has 11 bytes but checkpoint checkpoint-e0-b1-gs2 recorded \d+; data was lost/);
    expect(error.hint).toMatch(/nothing was changed/);
    expect((await listCheckpoints(runDir)).map((entry) => entry.name)).toEqual(['checkpoint-e0-b1-gs2', 'checkpoint-e0-b3-gs4']);
  });
});
