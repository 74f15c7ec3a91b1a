/**
 * `rlaif score` with the real exec teacher on MBPP-style rows: tests, no reference. Runs the built CLI
 * (`npm run build` first), as a user would.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(root, 'packages/core/dist/cli/bin.js');

const TESTS = 'def test_small():\n    assert add(1, 2) == 3\n\ndef test_negative():\n    assert add(-1, -1) == -2\n';
const CORRECT = 'def add(a, b):\n    """Return the sum of a and b."""\n    return a + b\n';
const WRONG = 'def add(a, b):\n    return a - b\n';

describe('rlaif score with the exec teacher', () => {
  it('scores rows that have tests but no reference, and says why the others are unscored', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rlaif-score-exec-'));
    const rows = [
      { id: 'good', prompt: 'Write add(a, b).', language: 'python', tests: TESTS, code: CORRECT },
      { id: 'bad', prompt: 'Write add(a, b).', language: 'python', tests: TESTS, code: WRONG },
      { id: 'untested', prompt: 'Write sub(a, b).', language: 'python', code: 'def sub(a, b):\n    return a - b\n' },
    ];
    await writeFile(path.join(dir, 'samples.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const output = path.join(dir, 'scored.jsonl');
    const result = spawnSync(
      process.execPath,
      [bin, 'score', '--teacher', '@rlaif/teacher-exec', '-i', path.join(dir, 'samples.jsonl'), '-o', output, '--cache-dir', path.join(dir, 'cache')],
      { encoding: 'utf8', cwd: root },
    );
    expect(result.status, result.stderr).toBe(0);
    const scored = Object.fromEntries(
      (await readFile(output, 'utf8')).trim().split('\n').map((line) => {
        const row = JSON.parse(line) as { id: string; score: { breakdown: { correctness: number } } | null; referenceScore: unknown; unscored?: string };
        return [row.id, row];
      }),
    );
    expect(scored['good']?.score?.breakdown.correctness).toBe(1);
    expect(scored['bad']?.score?.breakdown.correctness).toBe(0);
    expect(scored['good']?.referenceScore).toBeNull();
    expect(scored['good']?.unscored).toBeUndefined();
    expect(scored['untested']?.score).toBeNull();
    expect(scored['untested']?.unscored).toMatch(/^teacher failed: task \S+ has no tests, so the exec teacher cannot score it/);
    expect(result.stdout).toMatch(/Scored 2 samples, 1 unscored, 0 already done \(of 3\)\.\nUnscored \(see "unscored" in each row\):\n {2}1 × teacher failed\n/);
  });
});
