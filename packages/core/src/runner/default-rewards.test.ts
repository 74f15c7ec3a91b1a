import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Backend } from '../contracts/backend.js';
import type { Teacher } from '../contracts/teacher.js';
import { prepareRun } from './prepare-run.js';

const backend = { specificationVersion: 'v1', kind: 'backend', name: 'b', load: async () => undefined } as unknown as Backend;
const teacher = { specificationVersion: 'v1', kind: 'teacher', name: 't', reference: async () => null, score: async () => undefined, usage: () => undefined } as unknown as Teacher;

async function rewardsFor(rows: Record<string, unknown>[], config: Record<string, unknown> = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rlaif-default-rewards-'));
  await writeFile(path.join(dir, 'train.jsonl'), `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
  await writeFile(path.join(dir, 'rlaif.config.json'), JSON.stringify({ data: { trainFile: './train.jsonl', evalSplit: 0 }, sinks: [], ...config }));
  const lines: string[] = [];
  const logger = { info: (line: string) => lines.push(line), warn() {}, error() {}, debug() {} };
  const prepared = await prepareRun({ cwd: dir, overrides: {}, logger, parts: { backend, teacher } });
  return { names: prepared.plugins.rewards.map((r) => `${r.fn.name}×${r.weight}`), lines };
}

const task = (id: string, reference?: string) => ({ id, language: 'python', prompt: 'p', tests: 'def test_a():\n    assert True\n', ...(reference ? { reference } : {}) });

describe('default rewards', () => {
  it('are the ratio when every training task has a reference', async () => {
    expect((await rewardsFor([task('a', 'x = 1'), task('b', 'y = 2')])).names).toEqual(['ratio×1']);
  });

  it('add the pass rate when tasks have tests but no reference, and say why', async () => {
    const { names, lines } = await rewardsFor([task('a', 'x = 1'), task('b')]);
    expect(names).toEqual(['ratio×1', 'pass_rate×1']);
    expect(lines).toContainEqual(expect.stringMatching(/^rewards: ratio \+ pass_rate \(1 of 2 training tasks have no reference/));
  });

  it('are what the config says when it says', async () => {
    expect((await rewardsFor([task('b')], { rewards: ['difference'] })).names).toEqual(['difference×1']);
  });
});
