/** Correct, wrong, non-compiling and timing-out candidates in Python, C++ and Rust. */
import { describe, expect, it } from 'vitest';
import type { Language, ScoreResult } from '@rlaif/core';
import { CPP, CPP_TESTS, PY, PY_TESTS, RUST, RUST_TESTS, task } from './samples.js';
import { testTeacher, uidBaseFor } from './helpers.js';

const teacher = testTeacher(uidBaseFor(1));

const CASES: [Language, typeof PY, string][] = [
  ['python', PY, PY_TESTS],
  ['cpp', CPP, CPP_TESTS],
  ['rust', RUST, RUST_TESTS],
];

describe.each(CASES)('%s', (language, samples, tests) => {
  let result: ScoreResult;
  const order = ['correct', 'wrong', 'syntaxError', 'timeout'] as const;

  it('scores correct, wrong, non-compiling and timing-out candidates', async () => {
    result = await teacher.score(task(language, `add-${language}`, tests, samples.correct), order.map((name) => ({ code: samples[name] })), { code: samples.correct, source: 'task' });
    const [correct, wrong, broken, slow] = result.scores;

    expect(result.referenceScore?.breakdown.correctness).toBe(1);
    expect(correct?.breakdown.correctness).toBe(1);
    expect(correct?.execution?.testsPassed).toBe(2);
    expect(correct?.execution?.tests.every((test) => test.passed)).toBe(true);
    expect(correct?.overall).toBeGreaterThan(0.9);

    expect(wrong?.execution).toMatchObject({ compiled: true, testsPassed: 0, testsTotal: 2, timedOut: false });
    expect(wrong?.breakdown.correctness).toBe(0);
    expect(wrong?.breakdown.efficiency).toBe(0);
    expect(wrong?.evidence).toMatch(/0\/2 passed/);

    expect(broken?.execution?.compiled).toBe(false);
    expect(broken?.breakdown).toMatchObject({ correctness: 0, quality: 0, efficiency: 0 });
    expect(broken?.evidence).toMatch(/does not compile/);

    expect(slow?.execution?.timedOut).toBe(true);
    expect(slow?.breakdown.correctness).toBe(0);
    expect(slow?.execution?.tests[0]?.detail).toMatch(/timed out/);
    expect(slow?.execution?.tests[1]?.detail).toBe('skipped after a timeout');
    for (const score of [correct, wrong, broken, slow]) {
      for (const value of [score?.overall, ...Object.values(score?.breakdown ?? {})]) expect(value).toBeGreaterThanOrEqual(0);
    }
  }, 90_000);
});

describe('test formats', () => {
  it('Python: a block without test_ functions is one test', async () => {
    const result = await teacher.score(task('python', 'block', 'assert add(2, 2) == 4\nassert add(0, 0) == 0\n', PY.correct), [{ code: PY.correct }, { code: PY.wrong }], { code: PY.correct, source: 'task' });
    expect(result.scores[0]?.execution?.tests).toEqual([expect.objectContaining({ name: 'tests', passed: true })]);
    expect(result.scores[1]?.execution?.tests).toEqual([expect.objectContaining({ name: 'tests', passed: false })]);
  });

  it('Python: tests may import the candidate as module `solution`', async () => {
    const tests = 'from solution import add\n\ndef test_it():\n    assert add(3, 4) == 7\n';
    const result = await teacher.score(task('python', 'module', tests, PY.correct), [{ code: PY.correct }], { code: PY.correct, source: 'task' });
    expect(result.scores[0]?.execution?.testsPassed).toBe(1);
  });

  it('C++: a tests main() returning non-zero fails, and a candidate main() is ignored', async () => {
    const tests = '#include <cstdio>\nint main() { return add(2, 3) == 5 ? 0 : 1; }\n';
    const withMain = `${CPP.correct}int main() { std::puts("demo"); return 7; }\n`;
    const result = await teacher.score(task('cpp', 'cpp-main', tests, CPP.correct), [{ code: withMain }, { code: CPP.wrong }], { code: CPP.correct, source: 'task' });
    expect(result.scores[0]?.execution?.tests).toEqual([expect.objectContaining({ name: 'tests', passed: true })]);
    expect(result.scores[1]?.execution?.testsPassed).toBe(0);
  });

  it('Rust: top-level #[test]s, should_panic, Result tests and a candidate main()', async () => {
    const tests = [
      '#[test]\nfn adds() { assert_eq!(add(2, 2), 4); }',
      '#[test]\n#[should_panic]\nfn overflows() { let _ = add(i64::MAX, 1); panic!("checked"); }',
      '#[test]\nfn returns_ok() -> Result<(), String> { if add(1, 1) == 2 { Ok(()) } else { Err("bad".into()) } }',
    ].join('\n\n');
    const withMain = `${RUST.correct}fn main() { println!("{}", add(1, 2)); }\n`;
    const result = await teacher.score(task('rust', 'rust-top', tests, RUST.correct), [{ code: withMain }, { code: RUST.wrong }], { code: RUST.correct, source: 'task' });
    expect(result.scores[0]?.execution?.tests.map((test) => [test.name, test.passed])).toEqual([
      ['adds', true],
      ['overflows', true],
      ['returns_ok', true],
    ]);
    expect(result.scores[1]?.execution?.tests.map((test) => test.passed)).toEqual([false, true, false]);
    expect(result.scores[1]?.execution?.tests[2]?.detail).toMatch(/Err\("bad"\)/);
  }, 60_000);
});
