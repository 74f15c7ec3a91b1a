/** C++ builds share one precompiled header per set of leading standard includes, without changing what compiles. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '@rlaif/core';
import { leadingStandardIncludes } from '../src/languages/cpp.js';
import { task } from './samples.js';
import { recordingTeacher } from './helpers.js';

const TESTS = '#include <cassert>\n#include <vector>\nvoid test_sum() { assert(solve({1, 2, 3}) == 6); }\n';
const SUM = (i: number) => `#include <vector>\n#include <numeric>\n\n// Sum (variant ${i}).\nint solve(const std::vector<int>& xs) { int unused = ${i}; return std::accumulate(xs.begin(), xs.end(), 0); }\n`;

describe('shared precompiled header (C++)', () => {
  it('takes only the standard includes that open the candidate', () => {
    expect(leadingStandardIncludes('// hi\n#include <vector>\n\n#include <bits/stdc++.h> // all\nint x;\n#include <map>\n')).toEqual(['vector', 'bits/stdc++.h']);
    expect(leadingStandardIncludes('#define N 3\n#include <vector>\n')).toEqual([]);
    expect(leadingStandardIncludes('#include "mine.h"\n#include <vector>\n')).toEqual([]);
    expect(leadingStandardIncludes('/* c */\n#include <vector>\n')).toEqual([]);
  });

  it('precompiles a header set once, shares it read-only, and scores as before', async () => {
    const { teacher, runs } = recordingTeacher(16);
    // A fresh cache directory: a header precompiled by an earlier run would be reused from disk.
    const dir = await mkdtemp(join(tmpdir(), 'rlaif-pch-test-'));
    await teacher.setup?.({ runDir: dir, cacheDir: dir, logger: silentLogger, seed: 1, signal: new AbortController().signal });
    const result = await teacher.score(task('cpp', 'pch', TESTS, SUM(0)), [0, 1, 2].map((i) => ({ code: SUM(i) })), null);
    const precompiles = runs.filter((run) => run.argv.includes('c++-header'));
    const compiles = runs.filter((run) => run.argv.some((arg) => arg.endsWith('harness.cpp')));
    expect(precompiles).toHaveLength(1);
    // The three share one group build (test/cpp-group.test.ts); alone, each build would use the same header.
    expect(compiles).toHaveLength(1);
    for (const compile of compiles) {
      expect(compile.argv).toContain('/pch');
      expect(compile.mounts.find((mount) => mount.sandbox === '/pch')?.writable).toBeFalsy();
    }
    for (const score of result.scores) {
      expect(score?.execution?.testsPassed).toBe(1);
      // The candidate's own warning is still found and located in its own lines.
      expect(score?.evidence).toMatch(/line 5: unused variable .unused./);
    }
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it("does not lend the tests' includes to a candidate that lacks them", async () => {
    const { teacher } = recordingTeacher(17);
    const missing = '#include <numeric>\nint solve(const std::vector<int>& xs) { return std::accumulate(xs.begin(), xs.end(), 0); }\n';
    const result = await teacher.score(task('cpp', 'pch-missing', TESTS, missing), [{ code: missing }], null);
    expect(result.scores[0]?.execution?.compiled).toBe(false);
  }, 60_000);
});
