/**
 * The test server of compiled programs: a candidate's tests in one sandboxed run, each test a fresh
 * exec of its program with its own nonce, and nothing of the server reachable from a test.
 */
import { describe, expect, it } from 'vitest';
import type { SandboxRunSpec } from '../src/sandbox/bwrap.js';
import { execWithSandbox } from '../src/exec-teacher.js';
import { createSandbox } from '../src/sandbox/bwrap.js';
import { RUST, RUST_TESTS, task } from './samples.js';
import { uidBaseFor } from './helpers.js';

function recordingTeacher(seed: number) {
  const runs: SandboxRunSpec[] = [];
  const teacher = execWithSandbox({ uidBase: uidBaseFor(seed), concurrency: 2, testLimits: { wallMs: 2000, cpuSeconds: 1 } }, async (options) => {
    const sandbox = await createSandbox(options);
    return { isolation: sandbox.isolation, run: (spec: SandboxRunSpec) => (runs.push(spec), sandbox.run(spec)) };
  });
  const served = () => runs.filter((run) => run.argv[0]?.endsWith('/rlaif-serve'));
  return { teacher, runs, served };
}

// Each test records its pid in the shared /tmp and bumps a global: both pass only in fresh processes.
const FRESH = `#include <cstdio>
#include <unistd.h>
static int calls = 0;
bool fresh() {
  calls += 1;
  FILE* f = std::fopen("/tmp/pids", "a");
  std::fprintf(f, "%d\\n", (int)getpid());
  std::fclose(f);
  return calls == 1;
}
`;
const FRESH_TESTS = `#include <cassert>
#include <cstdio>
void test_a() { assert(fresh()); }
void test_b() {
  assert(fresh());
  int first = 0, second = 0;
  FILE* f = std::fopen("/tmp/pids", "r");
  assert(std::fscanf(f, "%d %d", &first, &second) == 2);
  assert(first != second);
}
`;

describe('test server (C++, Rust)', () => {
  it('runs a C++ candidate\'s tests in one sandboxed run, each in a fresh process with its own nonce', async () => {
    const { teacher, served } = recordingTeacher(18);
    const result = await teacher.score(task('cpp', 'served-cpp', FRESH_TESTS, FRESH), [{ code: FRESH }], null);
    expect(result.scores[0]?.execution?.tests.map((test) => [test.name, test.passed])).toEqual([
      ['test_a', true],
      ['test_b', true],
    ]);
    expect(served()).toHaveLength(1);
    const nonces = (served()[0]?.stdin ?? '').split('\n').filter(Boolean);
    expect(new Set(nonces).size).toBe(2);
  }, 60_000);

  it('serves each member of a Rust group from the group\'s binary', async () => {
    const { teacher, served } = recordingTeacher(19);
    const result = await teacher.score(task('rust', 'served-rust', RUST_TESTS, RUST.correct), [{ code: RUST.correct }, { code: RUST.wrong }], null);
    expect(result.scores.map((score) => score?.execution?.testsPassed)).toEqual([2, 0]);
    expect(served().map((run) => run.argv.slice(-2))).toEqual(expect.arrayContaining([['/build/program', '0'], ['/build/program', '1']]));
  }, 60_000);

  it("a test can reach neither the server's stdin (later nonces), its report pipe nor its memory", async () => {
    const { teacher } = recordingTeacher(20);
    const code = `#include <cstdio>
#include <unistd.h>
bool probe() {
  int opened = 0;
  char path[64];
  for (int fd = 0; fd < 16; fd++) {
    std::snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)getppid(), fd);
    if (FILE* f = std::fopen(path, "r")) { opened++; std::fclose(f); }
  }
  std::snprintf(path, sizeof path, "/proc/%d/mem", (int)getppid());
  if (FILE* f = std::fopen(path, "r")) { opened++; std::fclose(f); }
  return opened > 0;
}
`;
    const tests = '#include <cassert>\nvoid test_first() { assert(probe()); }\nvoid test_second() { assert(probe()); }\n';
    const result = await teacher.score(task('cpp', 'server-fds-cpp', tests, code), [{ code }], null);
    expect(result.scores[0]?.execution?.testsPassed).toBe(0);
  }, 60_000);
});
