import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { DataError } from '../../errors/rlaif-error.js';
import type { CliIO } from '../command.js';
import { scoreCommand } from './score.js';

// A deterministic teacher module loaded through the real plugin resolver: it scores code by length
// parity, counts its calls in a file, and stops with a budget error after `budgetCalls` calls.
const FAKE_TEACHER = `
import { appendFileSync } from 'node:fs';
import { RunStoppedError, TeacherError } from '${new URL('../../errors/rlaif-error.ts', import.meta.url).pathname}';
const score = (v) => ({ overall: v, breakdown: { correctness: v, quality: v, efficiency: v, documentation: v }, evidence: 'fake' });
export default (options) => {
  let calls = 0;
  const usage = { requests: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheHits: 0, costUSD: 0 };
  return {
    specificationVersion: 'v1', kind: 'teacher', name: 'fake',
    async reference(task) {
      if (task.prompt === 'No reference.') throw new TeacherError('wrote no reference code', 'fake', false);
      return { code: task.reference ?? 'ref', source: task.reference ? 'task' : 'teacher' };
    },
    async score(task, candidates) {
      if (options.budgetCalls !== undefined && calls >= options.budgetCalls) throw new RunStoppedError('budget reached', 'budget');
      calls++;
      appendFileSync(options.log, task.id + ':' + candidates.length + '\\n');
      usage.requests++; usage.inputTokens += 100; usage.outputTokens += 10; usage.costUSD += 0.01;
      return { scores: candidates.map((c) => (c.code.includes('null') ? null : score(c.code.length % 2 ? 0.25 : 0.75))), referenceScore: score(1),
        usage: { ...usage, requests: 1, inputTokens: 100, outputTokens: 10, costUSD: 0.01 } };
    },
    usage() { return { ...usage }; },
    estimate(task, n) { return { requests: 1, inputTokens: 100 * n, outputTokens: 10 * n, cachedInputTokens: 0, cacheHits: 0, costUSD: 0.001 * n }; },
    ...(options.batch ? { async scoreBatch(requests) {
      appendFileSync(options.log, 'batch:' + requests.length + '\\n');
      return requests.map((r) => ({ scores: r.candidates.map(() => score(0.5)), referenceScore: null, usage: { ...usage, requests: 1 } }));
    } } : {}),
  };
};
`;

let dir: string;
let stdout: string;
let stderr: string;

function io(): CliIO {
  const out = new PassThrough();
  const err = new PassThrough();
  out.on('data', (c: Buffer) => (stdout += c.toString()));
  err.on('data', (c: Buffer) => (stderr += c.toString()));
  return { stdout: out, stderr: err, cwd: dir, env: {} };
}

const rows = [
  { id: 'a1', prompt: 'Add.', language: 'python', code: 'x=1' },
  { id: 'a2', prompt: 'Add.', language: 'py', code: 'x=12' },
  { id: 'a3', prompt: 'Add.', language: 'python', code: 'null' },
  { id: 'b1', prompt: 'Sub.', language: 'rust', code: 'fn f(){}', reference: 'fn g(){}' },
];

async function setup(options: Record<string, unknown> = {}): Promise<string[]> {
  await writeFile(join(dir, 'teacher.mjs'), FAKE_TEACHER);
  await writeFile(join(dir, 'options.json'), JSON.stringify({ log: join(dir, 'calls.log'), ...options }));
  await writeFile(join(dir, 'samples.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return ['--input', 'samples.jsonl', '--output', 'out/scored.jsonl', '--teacher', './teacher.mjs', '--teacher-options', 'options.json'];
}

const outputRows = async () => (await readFile(join(dir, 'out', 'scored.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const calls = async () => (await readFile(join(dir, 'calls.log'), 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rlaif-score-'));
  stdout = '';
  stderr = '';
});

describe('rlaif score', () => {
  it('scores each task group in one call and appends every row with its score', async () => {
    const argv = await setup();
    expect(await scoreCommand.run(argv, io())).toBe(0);
    const out = await outputRows();
    expect(out.map((r) => r['id']).sort()).toEqual(['a1', 'a2', 'a3', 'b1']);
    const byId = Object.fromEntries(out.map((r) => [r['id'], r]));
    expect((byId['a1']?.['score'] as { overall: number }).overall).toBe(0.25);
    expect((byId['a2']?.['score'] as { overall: number }).overall).toBe(0.75);
    expect(byId['a3']?.['score']).toBeNull();
    expect(byId['a3']?.['unscored']).toBe('the teacher gave no score and no reason');
    expect(byId['a1']).not.toHaveProperty('unscored');
    expect(byId['b1']).toMatchObject({ teacher: 'fake', rubricVersion: expect.any(String), referenceScore: { overall: 1 } });
    expect((await calls()).map((c) => c.split(':')[1]).sort()).toEqual(['1', '3']);
    expect(stdout).toMatch(/Scored 3 samples, 1 unscored, 0 already done \(of 4\)\.\nUnscored \(see "unscored" in each row\):\n {2}1 × the teacher gave no score and no reason\n/);
    expect(stdout).toMatch(/2 requests, 200 input tokens .* \$0\.0200, response-cache hit rate 0\.0%/);
  });

  it('writes a reason on every unscored row and counts the reasons', async () => {
    const argv = await setup();
    const extra = [
      { id: 'n1', prompt: 'No reference.', language: 'python', code: 'x=1' },
      { id: 'n2', prompt: 'No reference.', language: 'python', code: 'x=2' },
    ];
    await writeFile(join(dir, 'samples.jsonl'), [...rows, ...extra].map((r) => JSON.stringify(r)).join('\n') + '\n');
    expect(await scoreCommand.run(argv, io())).toBe(0);
    const byId = Object.fromEntries((await outputRows()).map((r) => [r['id'], r]));
    expect(byId['n1']).toMatchObject({ score: null, unscored: 'no reference and the teacher cannot write one: wrote no reference code' });
    expect(stdout).toMatch(/Scored 3 samples, 3 unscored, 0 already done \(of 6\)\.\nUnscored \(see "unscored" in each row\):\n {2}2 × no reference and the teacher cannot write one\n {2}1 × the teacher gave no score and no reason\n/);
  });

  it('resumes: skips finished rows, cuts a torn last line and never duplicates', async () => {
    const argv = await setup();
    await writeFile(join(dir, 'calls.log'), '');
    await mkdir(join(dir, 'out'));
    const done = JSON.stringify({ ...rows[3], score: null });
    await writeFile(join(dir, 'out', 'scored.jsonl'), `${done}\n{"id": "a1", "score": {"overa`);
    expect(await scoreCommand.run(argv, io())).toBe(0);
    const out = await outputRows();
    expect(out.map((r) => r['id']).sort()).toEqual(['a1', 'a2', 'a3', 'b1']);
    expect(await calls()).toHaveLength(1);
    expect(stdout).toMatch(/1 already done/);
    expect(await scoreCommand.run(argv, io())).toBe(0);
    expect(await outputRows()).toHaveLength(4);
  });

  it('stops with exit 130 at the budget, keeping what was scored', async () => {
    const argv = await setup({ budgetCalls: 1 });
    expect(await scoreCommand.run([...argv, '--concurrency', '1'], io())).toBe(130);
    expect(await outputRows()).toHaveLength(3);
    expect(stderr).toMatch(/budget reached/);
  });

  it('prints an estimate on --dry-run without calling the teacher', async () => {
    const argv = await setup();
    await mkdir(join(dir, 'out'));
    expect(await scoreCommand.run([...argv, '--dry-run'], io())).toBe(0);
    expect(stdout).toMatch(/4 samples in 2 groups .* 2 requests, 400 input and 40 output tokens, \$0\.0040/);
    expect(await calls()).toEqual([]);
    await writeFile(join(dir, 'out', 'scored.jsonl'), '{"id": "a1", "sco');
    expect(await scoreCommand.run([...argv, '--dry-run'], io())).toBe(0);
    // A dry run reads but never repairs the output.
    expect(await readFile(join(dir, 'out', 'scored.jsonl'), 'utf8')).toBe('{"id": "a1", "sco');
  });

  it('sends every group through scoreBatch with --batch', async () => {
    const argv = await setup({ batch: true });
    expect(await scoreCommand.run([...argv, '--batch'], io())).toBe(0);
    expect(await calls()).toEqual(['batch:2']);
    expect((await outputRows()).map((r) => (r['score'] as { overall: number }).overall)).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  it('uses the teacher named in the config file', async () => {
    await setup();
    await writeFile(join(dir, 'rlaif.config.json'), JSON.stringify({ teacher: { use: './teacher.mjs', log: join(dir, 'calls.log') } }));
    expect(await scoreCommand.run(['--config', 'rlaif.config.json', '-i', 'samples.jsonl', '-o', 'scored.jsonl'], io())).toBe(0);
    expect(await calls()).toHaveLength(2);
  });

  it('rejects bad input lines with file:line and bad flags with a usage error', async () => {
    const argv = await setup();
    await writeFile(join(dir, 'samples.jsonl'), `${JSON.stringify(rows[0])}\n{"prompt": "x", "language": "cobol", "code": ""}\n`);
    await expect(scoreCommand.run(argv, io())).rejects.toSatisfy((e) => e instanceof DataError && e.line === 2 && /cobol/.test(e.message));
    await expect(scoreCommand.run(['--input', 'x'], io())).rejects.toThrow(/--input and --output/);
    await expect(scoreCommand.run([...argv, '--group-size', '0'], io())).rejects.toThrow(/positive integer/);
  });
});
