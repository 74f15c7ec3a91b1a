/**
 * Throughput of the exec teacher: candidates scored per second per language, cold (compile + run
 * every test in the sandbox) and cached (same candidates again, answered from the result cache).
 *
 *   npx jiti packages/teacher-exec/bench/throughput.ts [candidatesPerLanguage=12] [concurrency=cores]
 *
 * Needs root, bubblewrap, python3, g++ and rustc; uses the sources, so no build is required.
 */
import type { Language, Task } from '@rlaif/core';
import { exec } from '../src/index.js';

const count = Number(process.argv[2] ?? 12);
const concurrency = process.argv[3] === undefined ? undefined : Number(process.argv[3]);

const SAMPLES: Record<Language, { tests: string; variant: (i: number) => string }> = {
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

async function main(): Promise<void> {
  const teacher = exec(concurrency === undefined ? {} : { concurrency });
  console.log(`exec teacher throughput, ${count} distinct candidates per language, 2 tests each, concurrency ${concurrency ?? '= cores'}`);
  for (const language of ['python', 'cpp', 'rust'] as const) {
    const sample = SAMPLES[language];
    const reference = sample.variant(-1);
    const task: Task = { id: `bench-${language}`, language, prompt: 'add', tests: sample.tests, reference, extra: {} };
    const candidates = Array.from({ length: count }, (_, i) => ({ code: sample.variant(i) }));
    // Warm-up: sandbox self-test, toolchain detection and the reference's own run.
    await teacher.score(task, [], { code: reference, source: 'task' });
    for (const phase of ['cold', 'cached'] as const) {
      const started = performance.now();
      const result = await teacher.score(task, candidates, { code: reference, source: 'task' });
      const seconds = (performance.now() - started) / 1000;
      const passed = result.scores.filter((score) => score?.breakdown.correctness === 1).length;
      console.log(`${language.padEnd(6)} ${phase.padEnd(6)} ${(count / seconds).toFixed(2).padStart(8)} candidates/s  (${seconds.toFixed(2)} s, ${passed}/${count} correct)`);
    }
  }
  console.log(`isolation: ${JSON.stringify(teacher.isolation())}`);
}

await main();
