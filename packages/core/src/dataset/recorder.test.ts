import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Rollout } from '../contracts/rollout.js';
import type { Task } from '../contracts/task.js';
import { DataError } from '../errors/rlaif-error.js';
import { DatasetRecorder } from './recorder.js';
import type { DatasetRowInput } from './row.js';
import { datasetRowId } from './row.js';

let runDir: string;
beforeEach(async () => {
  runDir = await mkdtemp(join(tmpdir(), 'rlaif-dataset-'));
});
afterEach(async () => {
  await rm(runDir, { recursive: true, force: true });
});

const task = (id: string): Task => ({ id, language: 'rust', prompt: `solve ${id}`, extra: { level: 2 } });

function sample(taskId: string, sampleIndex: number, epoch: number, batch: number): DatasetRowInput {
  const rollout: Rollout = {
    task: task(taskId),
    sampleIndex,
    text: '```rust\nfn main() {}\n```',
    code: 'fn main() {}',
    promptTokens: [1, 2, 3],
    completionTokens: [4, 5],
    behaviourLogprobs: [-0.1, -0.2],
    finishReason: 'eos',
    policyVersion: 3,
    generationMs: 10,
  };
  return {
    rollout,
    score: { overall: 0.6, breakdown: { correctness: 1, quality: 0.5, efficiency: 0.4, documentation: 0 }, evidence: '2/2 tests passed' },
    reference: { code: 'fn main() { }', source: 'teacher' },
    teacherScore: 0.8,
    reward: 0.75,
    advantage: 0.1,
    epoch,
    batch,
    step: 7,
  };
}

const readRows = async (split: string) =>
  (await readFile(join(runDir, 'datasets', `${split}.jsonl`), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('DatasetRecorder', () => {
  it('writes rows with the reference fields and reports durable lengths after flush', async () => {
    const recorder = await DatasetRecorder.open(runDir, { now: () => new Date('2026-05-06T07:08:09.000Z') });
    expect(recorder.durableFiles()).toEqual({ 'datasets/train.jsonl': 0, 'datasets/validation.jsonl': 0, 'datasets/evaluation.jsonl': 0 });
    await recorder.append('train', [sample('a', 0, 1, 2), sample('a', 1, 1, 2)]);
    const lengths = await recorder.flush();
    const text = await readFile(join(runDir, 'datasets', 'train.jsonl'), 'utf8');
    expect(lengths['datasets/train.jsonl']).toBe(Buffer.byteLength(text));
    const [row] = await readRows('train');
    expect(row).toEqual({
      id: 'train-e1-b2-s0-a',
      prompt: 'solve a',
      language: 'rust',
      task_id: 'a',
      sample_index: 0,
      completion: '```rust\nfn main() {}\n```',
      code: 'fn main() {}',
      reference: 'fn main() { }',
      reference_source: 'teacher',
      score: 0.6,
      breakdown: { correctness: 1, quality: 0.5, efficiency: 0.4, documentation: 0 },
      teacher_score: 0.8,
      reward: 0.75,
      reward_functions: {},
      advantage: 0.1,
      evidence: '2/2 tests passed',
      unscored: null,
      epoch: 1,
      batch: 2,
      step: 7,
      policy_version: 3,
      tokens: 2,
      prompt_tokens: 3,
      finish_reason: 'eos',
      task_extra: { level: 2 },
      phase: null,
      timestamp: '2026-05-06T07:08:09.000Z',
      // The reference system's names for the same values.
      student_code: 'fn main() {}',
      teacher_code: 'fn main() { }',
      student_score: 0.6,
      scoring_breakdown: { correctness: 1, code_quality: 0.5, efficiency: 0.4, documentation: 0 },
    });
    await recorder.close();
  });

  it('writes to training.datasetsDir inside the run directory, keyed by run-relative path', async () => {
    const recorder = await DatasetRecorder.open(runDir, { dir: './collected/rl' });
    await recorder.append('validation', [sample('a', 0, 0, 1)]);
    expect(await recorder.flush()).toMatchObject({ 'collected/rl/validation.jsonl': expect.any(Number), 'collected/rl/train.jsonl': 0 });
    await recorder.writeCard({});
    await recorder.close();
    expect(await readFile(join(runDir, 'collected/rl/validation.jsonl'), 'utf8')).toContain('"student_code":"fn main() {}"');
    expect(await readFile(join(runDir, 'collected/rl/README.md'), 'utf8')).toMatch(/validation/);
  });

  it('ids are deterministic and distinct across split, epoch, batch, sample and task', () => {
    const ids = new Set<string>();
    for (const split of ['train', 'evaluation'] as const)
      for (const epoch of [0, 1])
        for (const batch of [0, 1, 10])
          for (const sampleIndex of [0, 1])
            for (const taskId of ['x', 'x-s1', 'b1-x', '1'])
              for (const phase of [undefined, 'baseline', 'sft']) ids.add(datasetRowId(split, epoch, batch, sampleIndex, taskId, phase));
    expect(ids.size).toBe(2 * 2 * 3 * 2 * 4 * 3);
    expect(() => datasetRowId('validation', 0, 1, 0, 'x', 'e1')).toThrow(/lower-case letters/);
    expect(datasetRowId('train', 0, 1, 0, 'x')).toBe(datasetRowId('train', 0, 1, 0, 'x'));
  });

  it('refuses a row id that is already recorded, also after reopening, writing nothing', async () => {
    const recorder = await DatasetRecorder.open(runDir);
    await recorder.append('train', [sample('a', 0, 0, 0)]);
    await expect(recorder.append('train', [sample('b', 0, 0, 0), sample('b', 0, 0, 0)])).rejects.toThrow(/already recorded on line 2/);
    await recorder.close();

    const reopened = await DatasetRecorder.open(runDir);
    expect(reopened.rowCounts()).toEqual({ train: 1, validation: 0, evaluation: 0 });
    const error = (await reopened.append('train', [sample('a', 0, 0, 0)]).catch((caught: unknown) => caught)) as DataError;
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toContain(`${join(runDir, 'datasets', 'train.jsonl')}:2: dataset row "train-e0-b0-s0-a" was already recorded on line 1`);
    await reopened.append('evaluation', [sample('a', 0, 0, 0)]);
    await reopened.close();
    expect((await readRows('train')).map((row) => row.id)).toEqual(['train-e0-b0-s0-a']);
  });

  it('refuses to open a file with a torn last line', async () => {
    await mkdir(join(runDir, 'datasets'));
    await writeFile(join(runDir, 'datasets', 'validation.jsonl'), '{"id":"v1"}\n{"id":"v2","pro');
    await expect(DatasetRecorder.open(runDir)).rejects.toThrow(/validation\.jsonl:2: last line is incomplete/);
  });

  it('writes a dataset card whose front matter is valid YAML listing the splits with rows', async () => {
    const recorder = await DatasetRecorder.open(runDir);
    await recorder.append('train', [sample('a', 0, 0, 0), sample('a', 1, 0, 0)]);
    await recorder.append('evaluation', [sample('a', 0, 0, 0)]);
    await recorder.writeCard({ model: 'tiny-qwen2', teacher: 'exec' });
    const card = await readFile(join(runDir, 'datasets', 'README.md'), 'utf8');
    const frontMatter = parseYaml(card.split('---\n')[1] ?? '') as { configs: { data_files: { split: string; path: string }[] }[] };
    expect(frontMatter.configs[0]?.data_files).toEqual([
      { split: 'train', path: 'train.jsonl' },
      { split: 'evaluation', path: 'evaluation.jsonl' },
    ]);
    expect(card).toContain('| train | train.jsonl | 2 |');
    expect(card).toContain('| validation | validation.jsonl | 0 |');
    expect(card).toContain('- Student model: tiny-qwen2');
    expect(card).toContain('| `teacher_score` |');
    await recorder.close();
  });
});
