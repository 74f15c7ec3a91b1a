/** The scoring formulas, the documentation check and the Python lint, without running code. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@rlaif/core';
import { lintPython } from '../src/languages/python-lint.js';
import { documentationFacts } from '../src/scoring/documentation.js';
import { DEFAULT_WEIGHTS, efficiencyOf, overallOf, resolveWeights, scoreOutcome } from '../src/scoring/rubric.js';
import type { ExecutionOutcome } from '../src/runner/executor.js';
import { LruCache } from '../src/util/lru-cache.js';
import { SlotPool } from '../src/util/slot-pool.js';

function outcome(passed: boolean[], testNs: Record<string, number> = {}, warnings: string[] = []): ExecutionOutcome {
  const tests = passed.map((ok, i) => ({ name: `t${i}`, passed: ok, ms: 1, ...(ok ? {} : { detail: 'AssertionError' }) }));
  return {
    execution: { compiled: true, testsPassed: passed.filter(Boolean).length, testsTotal: passed.length, timedOut: false, runtimeMs: passed.length, tests },
    warnings,
    compileErrors: [],
    testNs,
  };
}

const docs = { definitions: 1, documented: 1, commentLines: 1, codeLines: 3, score: 1 };

describe('rubric', () => {
  it('correctness is the share of tests passed; quality loses 0.15 per warning', () => {
    const score = scoreOutcome(outcome([true, false, true, true], {}, ['w1', 'w2']), docs, undefined, DEFAULT_WEIGHTS);
    expect(score.breakdown.correctness).toBe(0.75);
    expect(score.breakdown.quality).toBeCloseTo(0.7);
    expect(score.evidence).toMatch(/3\/4 passed.*t1 \(AssertionError\).*2 warning/);
    expect(score.overall).toBeCloseTo(overallOf(score.breakdown, DEFAULT_WEIGHTS));
  });

  it('efficiency compares in-harness time with the reference on shared tests', () => {
    const reference = outcome([true, true], { t0: 1_000_000, t1: 1_000_000 });
    expect(efficiencyOf(outcome([true, true], { t0: 1_000_000, t1: 1_000_000 }), reference, 1)).toBe(1);
    expect(efficiencyOf(outcome([true, true], { t0: 10_000_000, t1: 10_000_000 }), reference, 1)).toBeCloseTo(3 / 21);
    expect(efficiencyOf(outcome([true, true], { t0: 1, t1: 1 }), reference, 1)).toBe(1);
    expect(efficiencyOf(outcome([false, false]), reference, 0)).toBe(0);
    expect(efficiencyOf(outcome([true]), undefined, 1)).toBe(1);
  });

  it('overall is the weighted mean under configurable weights, which are validated', () => {
    const weights = resolveWeights({ correctness: 1, quality: 0, efficiency: 0, documentation: 0 });
    expect(overallOf({ correctness: 0.4, quality: 1, efficiency: 1, documentation: 1 }, weights)).toBeCloseTo(0.4);
    expect(() => resolveWeights({ quality: -1 })).toThrow(ConfigError);
    expect(() => resolveWeights({ correctness: 0, quality: 0, efficiency: 0, documentation: 0 })).toThrow(/at least one weight/);
  });
});

describe('documentation', () => {
  it('counts Python docstrings and comments', async () => {
    const good = await documentationFacts('python', 'def f(x):\n    """Doubles x."""\n    return 2 * x\n');
    const bare = await documentationFacts('python', 'def f(x):\n    return 2 * x\n\ndef g():\n    return 1\n');
    expect(good).toMatchObject({ definitions: 1, documented: 1 });
    expect(good.score).toBe(1);
    expect(bare).toMatchObject({ definitions: 2, documented: 0, score: 0 });
  });

  it('counts C++ and Rust comments directly above definitions', async () => {
    const cpp = await documentationFacts('cpp', '// Adds.\nint add(int a, int b) { return a + b; }\n\nint sub(int a, int b) { return a - b; }\n');
    expect(cpp).toMatchObject({ definitions: 2, documented: 1 });
    const rust = await documentationFacts('rust', '/// Adds.\n#[inline]\npub fn add(a: i32, b: i32) -> i32 { a + b }\n\n// far away\n\nfn sub(a: i32, b: i32) -> i32 { a - b }\n');
    expect(rust).toMatchObject({ definitions: 2, documented: 1 });
    expect(rust.score).toBeGreaterThan(0.3);
    expect(rust.score).toBeLessThan(1);
  });
});

describe('python lint', () => {
  it('finds unused imports, bare except, == None and mutable defaults', async () => {
    const findings = await lintPython('import os, sys\nfrom math import *\n\ndef f(x=[]):\n    try:\n        return x == None\n    except:\n        return sys.maxsize\n');
    expect(findings).toEqual([
      "line 1: 'os' imported but unused",
      'line 2: wildcard import',
      'line 4: mutable default argument',
      'line 6: comparison to None should use is / is not',
      'line 7: bare except',
    ]);
    expect(await lintPython('import os\n\ndef f():\n    """Cwd."""\n    return os.getcwd()\n')).toEqual([]);
  });
});

describe('utilities', () => {
  it('the LRU cache evicts the least recently used entry', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
  });

  it('the slot pool never hands out more slots than its size, nor the same slot twice', async () => {
    const pool = new SlotPool(2);
    const held = new Set<number>();
    let peak = 0;
    await Promise.all(
      Array.from({ length: 6 }, () =>
        pool.with(async (slot) => {
          expect(held.has(slot)).toBe(false);
          held.add(slot);
          peak = Math.max(peak, held.size);
          await new Promise((resolve) => setTimeout(resolve, 5));
          held.delete(slot);
        }),
      ),
    );
    expect(peak).toBe(2);
  });
});
