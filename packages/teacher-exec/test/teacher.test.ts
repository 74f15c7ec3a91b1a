/** The Teacher contract of exec() and hybrid(): references, caching, rubric inputs and errors. */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Candidate, PluginContext, Reference, Score, ScoreResult, Task, Teacher, TeacherUsage } from '@rlaif/core';
import { RunStoppedError, ZERO_USAGE, silentLogger } from '@rlaif/core';
import execDefault, { exec, hybrid } from '../src/index.js';
import { CPP, CPP_TESTS, PY, PY_TESTS, task } from './samples.js';
import { testTeacher, uidBaseFor } from './helpers.js';

const uidBase = uidBaseFor(4);
const cacheDirs: string[] = [];

async function context(): Promise<PluginContext> {
  const dir = await mkdtemp(join(tmpdir(), 'rlaif-exec-test-'));
  cacheDirs.push(dir);
  return { runDir: dir, cacheDir: join(dir, 'cache'), logger: silentLogger, seed: 1, signal: new AbortController().signal };
}

afterAll(async () => {
  await Promise.all(cacheDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A judge that records what it was shown and gives fixed scores (a stand-in for an LLM teacher). */
function recordingJudge(): Teacher & { seen: Candidate[][] } {
  const seen: Candidate[][] = [];
  const fixed: Score = { overall: 0.5, breakdown: { correctness: 0.1, quality: 0.8, efficiency: 0.6, documentation: 0.4 }, evidence: 'judged' };
  let usage: TeacherUsage = ZERO_USAGE;
  return {
    specificationVersion: 'v1',
    kind: 'teacher',
    name: 'judge',
    seen,
    reference: (t: Task) => Promise.resolve({ code: `# written for ${t.id}\n${PY.correct}`, source: 'teacher' }),
    score(_t: Task, candidates: readonly Candidate[]): Promise<ScoreResult> {
      seen.push([...candidates]);
      usage = { ...usage, requests: usage.requests + 1, inputTokens: usage.inputTokens + 100 };
      return Promise.resolve({ scores: candidates.map(() => fixed), referenceScore: fixed, usage: { ...ZERO_USAGE, requests: 1, inputTokens: 100 } });
    },
    usage: () => usage,
  };
}

describe('exec()', () => {
  it('is a v1 teacher plugin and the default export', () => {
    const teacher = exec();
    expect(teacher).toMatchObject({ specificationVersion: 'v1', kind: 'teacher', name: 'exec' });
    expect(execDefault).toBe(exec);
  });

  it('rejects invalid limits and weights naming the key', () => {
    expect(() => exec({ testLimits: { wallMs: 0 } })).toThrow(/teacher\.testLimits\.wallMs: must be a positive integer/);
    expect(() => exec({ compileLimits: { memoryBytes: 1.5 } })).toThrow(/teacher\.compileLimits\.memoryBytes/);
    expect(() => exec({ weights: { efficiency: Number.NaN } })).toThrow(/teacher\.weights\.efficiency/);
  });

  it('uses the task reference, delegates to a reference teacher, or scores without one', async () => {
    const plain = exec({ uidBase });
    const withReference = task('python', 'r1', PY_TESTS, PY.correct);
    expect(await plain.reference(withReference)).toEqual({ code: PY.correct, source: 'task' });
    const noReference: Task = { ...withReference, id: 'r2', reference: undefined };
    expect(await plain.reference(noReference)).toBeNull();
    const judge = recordingJudge();
    const delegating = exec({ uidBase, referenceTeacher: judge });
    expect(await delegating.reference(noReference)).toMatchObject({ source: 'teacher', code: expect.stringContaining('written for r2') });
  });

  it('refuses a task without tests with a hint', async () => {
    const teacher = exec({ uidBase });
    const noTests: Task = { ...task('python', 'nt', '', PY.correct) };
    await expect(teacher.score(noTests, [{ code: PY.correct }], { code: PY.correct, source: 'task' })).rejects.toThrow(/has no tests[\s\S]*"tests" field/);
  });

  it('turns warnings into quality, slowness into efficiency and comments into documentation', async () => {
    const teacher = testTeacher(uidBase);
    const tests = 'def test_once():\n    assert add(2, 3) == 5\n';
    const slow = 'import time, os\n\ndef add(a, b):\n    time.sleep(0.2)\n    return a + b\n';
    const result = await teacher.score(task('python', 'rubric', tests, PY.correct), [{ code: PY.correct }, { code: slow }], { code: PY.correct, source: 'task' });
    const [good, sleepy] = result.scores;
    expect(good?.breakdown).toMatchObject({ correctness: 1, quality: 1, documentation: 1 });
    expect(good?.breakdown.efficiency).toBeGreaterThan(0.9);
    expect(sleepy?.breakdown.correctness).toBe(1);
    expect(sleepy?.breakdown.efficiency).toBeLessThan(0.1);
    expect(sleepy?.breakdown.quality).toBeCloseTo(0.85);
    expect(sleepy?.evidence).toMatch(/'os' imported but unused/);
    expect(sleepy?.breakdown.documentation).toBe(0);

    const cppWarn = '// Adds.\nint add(int a, int b) { int unused = 0; return a + b; }\n';
    const cpp = await teacher.score(task('cpp', 'warn', CPP_TESTS, CPP.correct), [{ code: cppWarn }], { code: CPP.correct, source: 'task' });
    expect(cpp.scores[0]?.breakdown.quality).toBeCloseTo(0.85);
    expect(cpp.scores[0]?.evidence).toMatch(/line 2: unused variable/);
  }, 60_000);

  it('scores a completion without code 0 on every criterion, failing each test, without running it', async () => {
    const teacher = testTeacher(uidBase);
    const result = await teacher.score(task('cpp', 'empty', CPP_TESTS, CPP.correct), [{ code: '' }, { code: '  \n' }], { code: CPP.correct, source: 'task' });
    for (const score of result.scores) {
      expect(score).toMatchObject({ overall: 0, breakdown: { correctness: 0, quality: 0, efficiency: 0, documentation: 0 } });
      expect(score?.execution).toMatchObject({ compiled: false, testsPassed: 0, testsTotal: 2 });
      expect(score?.evidence).toMatch(/no code in the completion/);
    }
    expect(result.referenceScore?.breakdown.correctness).toBe(1);
  }, 60_000);

  it('gives up promptly when aborted, without scoring the killed run', async () => {
    // A 20 s limit: only the abort can end the looping candidate's run within the bound below.
    const teacher = exec({ uidBase, concurrency: 2, testLimits: { wallMs: 20_000, cpuSeconds: 20 } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const started = performance.now();
    const error = await teacher.score(task('python', 'abort', PY_TESTS, PY.correct), [{ code: PY.timeout }], { code: PY.correct, source: 'task' }, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunStoppedError);
    expect(performance.now() - started).toBeLessThan(6000);
  });

  it('caches results in memory and on disk under cacheDir', async () => {
    const ctx = await context();
    const first = testTeacher(uidBase, { keepBuilds: true });
    await first.setup?.(ctx);
    expect(first.isolation()?.namespaces).toContain('net');
    // C++: a Python candidate has no build to keep (its test server only syntax-checks it).
    const t = task('cpp', 'cache', CPP_TESTS, CPP.correct);
    const ref: Reference = { code: CPP.correct, source: 'task' };
    const cold = await first.score(t, [{ code: CPP.wrong }], ref);
    const warm = await first.score(t, [{ code: CPP.wrong }], ref);
    expect(warm.scores).toEqual(cold.scores);
    // A call answered wholly from the cache counts as a cache hit, not a request, here and in its own usage.
    expect(cold.usage).toMatchObject({ requests: 1, cacheHits: 0 });
    expect(warm.usage).toMatchObject({ requests: 0, cacheHits: 1 });
    expect(first.usage()).toMatchObject({ requests: 1, cacheHits: 1 });
    expect(await readdir(join(ctx.cacheDir, 'teacher-exec', 'results'))).toHaveLength(2);

    const second = testTeacher(uidBase, { keepBuilds: true });
    await second.setup?.(ctx);
    const fromDisk = await second.score(t, [{ code: CPP.wrong }], ref);
    expect(fromDisk.scores).toEqual(cold.scores);
    expect(second.usage()).toMatchObject({ requests: 0, cacheHits: 1 });
    expect(existsSync(join(ctx.cacheDir, 'teacher-exec', 'builds'))).toBe(true);
  }, 60_000);

  it('counts its sandbox runs, candidates, compile failures, cache hits and seconds per language', async () => {
    const teacher = testTeacher(uidBase);
    const t = task('python', 'metrics', PY_TESTS, PY.correct);
    await teacher.score(t, [{ code: PY.correct }, { code: PY.syntaxError }, { code: PY.correct }], null);
    const cpp = task('cpp', 'metrics-cpp', CPP_TESTS, CPP.correct);
    await teacher.score(cpp, [{ code: CPP.syntaxError }], null);
    const metrics = teacher.metrics();
    expect(metrics).toMatchObject({ 'Sandbox/Candidates_python': 2, 'Sandbox/CompileFailures_python': 1, 'Sandbox/Candidates_cpp': 1, 'Sandbox/CompileFailures_cpp': 1, 'Sandbox/CompileFailures': 2, 'Sandbox/CacheHits': 1 });
    // Python: one test server per candidate; C++: its shared header (unless on disk already) and one compilation.
    expect(metrics['Sandbox/Runs']).toBeGreaterThanOrEqual(3);
    expect(metrics['Sandbox/Seconds_python']).toBeGreaterThan(0);
    expect(metrics['Sandbox/Seconds_cpp']).toBeGreaterThan(0);
  }, 60_000);

  it('keeps no builds on disk by default', async () => {
    const ctx = await context();
    const teacher = testTeacher(uidBase);
    await teacher.setup?.(ctx);
    const result = await teacher.score(task('python', 'nobuilds', PY_TESTS, PY.correct), [{ code: PY.wrong }], { code: PY.correct, source: 'task' });
    expect(result.scores).toHaveLength(1);
    expect(await readdir(join(ctx.cacheDir, 'teacher-exec', 'results'))).toHaveLength(2);
    expect(existsSync(join(ctx.cacheDir, 'teacher-exec', 'builds'))).toBe(false);
  }, 60_000);
});

describe('hybrid()', () => {
  it('takes correctness from execution, the rest from the judge, and shows the judge the evidence', async () => {
    const judge = recordingJudge();
    const teacher = hybrid({ execution: testTeacher(uidBase), judge });
    const t = task('python', 'hybrid', PY_TESTS, PY.correct);
    const result = await teacher.score(t, [{ code: PY.correct }, { code: PY.wrong, text: '```python\n' + PY.wrong + '```' }], { code: PY.correct, source: 'task' });
    const [good, bad] = result.scores;
    expect(good?.breakdown).toEqual({ correctness: 1, quality: 0.8, efficiency: 0.6, documentation: 0.4 });
    expect(bad?.breakdown.correctness).toBe(0);
    expect(bad?.execution?.testsPassed).toBe(0);
    expect(bad?.evidence).toMatch(/0\/2 passed.*Judge: judged/);
    expect(judge.seen[0]?.[1]?.context).toMatch(/Sandboxed test run:[\s\S]*test_small \(AssertionError\)/);
    expect(judge.seen[0]?.[1]?.text).toBe('```python\n' + PY.wrong + '```');
    expect(result.usage.inputTokens).toBe(100);
    expect(teacher.usage().inputTokens).toBe(100);
    expect(await teacher.reference({ ...t, reference: undefined })).toMatchObject({ source: 'teacher' });
  }, 60_000);
});
