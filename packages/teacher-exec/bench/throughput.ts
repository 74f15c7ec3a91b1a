/**
 * Throughput of the exec teacher: candidates scored per second per language, cold (compile + run
 * every test in the sandbox) beside the same work done bare (no sandbox at all: the same teacher
 * with processes started directly on the host), so the ratio is the sandbox's own overhead; then
 * cached (the same candidates again, answered from the result cache).
 *
 *   npx jiti packages/teacher-exec/bench/throughput.ts [candidatesPerLanguage=12] [concurrency=cores] [repeats=1] [perCall=all] [workload=add]
 *
 * Each repeat scores fresh candidates, sandboxed then bare, back to back. `perCall` splits them into
 * concurrent score calls of that many candidates (a training batch: one call per prompt, e.g. 6).
 * Workload `add`: a two-line function with 2 tests; `quickstart`: the first training task of each
 * language in examples/quickstart (4 tests, C++ with <vector>), its reference varied by a comment.
 * Needs root, bubblewrap, python3, g++ and rustc; uses the sources, so no build is required.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Language, Task } from '@rlaif/core';
import { exec, execWithSandbox } from '../src/exec-teacher.js';
import type { ExecTeacher } from '../src/exec-teacher.js';
import { openBareSandbox } from './bare-sandbox.js';

const count = Number(process.argv[2] ?? 12);
const concurrency = process.argv[3] === undefined || process.argv[3] === '' ? undefined : Number(process.argv[3]);
const repeats = Number(process.argv[4] ?? 1);
const perCall = process.argv[5] === undefined ? count : Number(process.argv[5]);
const workload = process.argv[6] ?? 'add';

interface Sample {
  readonly tests: string;
  readonly variant: (i: number) => string;
}

const ADD: Record<Language, Sample> = {
  python: {
    tests: 'def test_small():\n    assert add(1, 2) == 3\n\ndef test_negative():\n    assert add(-1, -1) == -2\n',
    variant: (i) => `def add(a, b):\n    """Sum (variant ${i})."""\n    return a + b + ${i} - ${i}\n`,
  },
  cpp: {
    tests: '#include <cassert>\nvoid test_small() { assert(add(1, 2) == 3); }\nvoid test_negative() { assert(add(-1, -1) == -2); }\n',
    variant: (i) => `// Sum (variant ${i}).\nint add(int a, int b) { return a + b + ${i} - ${i}; }\n`,
  },
  rust: {
    tests: '#[test]\nfn small() { assert_eq!(add(1, 2), 3); }\n#[test]\nfn negative() { assert_eq!(add(-1, -1), -2); }\n',
    variant: (i) => `/// Sum (variant ${i}).\npub fn add(a: i64, b: i64) -> i64 { a + b + ${i} - ${i} }\n`,
  },
};

/** The quickstart's first training task per language; candidates are its reference plus a distinct comment. */
function quickstartSamples(): Record<Language, Sample> {
  const file = fileURLToPath(new URL('../../../examples/quickstart/tasks/train.jsonl', import.meta.url));
  const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { language: Language; tests: string; reference: string });
  const sample = (language: Language, comment: string): Sample => {
    const row = rows.find((candidate) => candidate.language === language);
    if (!row) throw new Error(`no ${language} task in ${file}`);
    return { tests: row.tests, variant: (i) => `${row.reference}${comment} variant ${i}\n` };
  };
  return { python: sample('python', '#'), cpp: sample('cpp', '//'), rust: sample('rust', '//') };
}

const SAMPLES = workload === 'quickstart' ? quickstartSamples() : ADD;

/** Scores `candidates` once; candidates per second and how many were fully correct. */
async function timeScoring(teacher: ExecTeacher, task: Task, candidates: readonly { code: string }[], reference: string): Promise<{ rate: number; seconds: number; correct: number }> {
  const calls = Array.from({ length: Math.ceil(candidates.length / perCall) }, (_, i) => candidates.slice(i * perCall, (i + 1) * perCall));
  const started = performance.now();
  const results = await Promise.all(calls.map((call) => teacher.score(task, call, { code: reference, source: 'task' })));
  const seconds = (performance.now() - started) / 1000;
  const correct = results.flatMap((result) => result.scores).filter((score) => score?.breakdown.correctness === 1).length;
  return { rate: candidates.length / seconds, seconds, correct };
}

function line(language: string, phase: string, run: { rate: number; seconds: number; correct: number }, extra = ''): string {
  return `${language.padEnd(6)} ${phase.padEnd(7)} ${run.rate.toFixed(2).padStart(9)} candidates/s  (${run.seconds.toFixed(2)} s, ${run.correct}/${count} correct)${extra}`;
}

async function main(): Promise<void> {
  const settings = concurrency === undefined ? {} : { concurrency };
  const sandboxed = exec(settings);
  const bare = execWithSandbox(settings, () => openBareSandbox());
  console.log(`exec teacher throughput, ${count} distinct candidates per language in calls of ${perCall}, workload ${workload}, concurrency ${concurrency ?? '= cores'}, ${repeats} repeat(s)`);
  for (const language of ['python', 'cpp', 'rust'] as const) {
    const sample = SAMPLES[language];
    const reference = sample.variant(-1);
    const task: Task = { id: `bench-${language}`, language, prompt: 'add', tests: sample.tests, reference, extra: {} };
    // Warm-up: sandbox self-test, toolchain detection, the reference's own run, and a group of two
    // candidates not timed later (what a group build makes once per process: C++'s standard names).
    const warmUp = [sample.variant(-2), sample.variant(-3)].map((code) => ({ code }));
    for (const teacher of [sandboxed, bare]) await teacher.score(task, warmUp, { code: reference, source: 'task' });
    const ratios: number[] = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      const candidates = Array.from({ length: count }, (_, i) => ({ code: sample.variant(repeat * count + i) }));
      const cold = await timeScoring(sandboxed, task, candidates, reference);
      const baseline = await timeScoring(bare, task, candidates, reference);
      ratios.push(baseline.rate / cold.rate);
      console.log(line(language, 'cold', cold));
      console.log(line(language, 'bare', baseline, `  sandbox overhead ×${(baseline.rate / cold.rate).toFixed(2)}`));
      if (repeat === repeats - 1) console.log(line(language, 'cached', await timeScoring(sandboxed, task, candidates, reference)));
    }
    if (repeats > 1) console.log(`${language.padEnd(6)} sandbox overhead ×${Math.min(...ratios).toFixed(2)}–×${Math.max(...ratios).toFixed(2)} over ${repeats} repeats`);
  }
  console.log(`isolation: ${JSON.stringify(sandboxed.isolation())}`);
}

await main();
