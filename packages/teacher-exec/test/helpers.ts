/** Helpers for the teacher-exec tests: a teacher with short limits and host-side process checks. */
import { readdirSync, readFileSync } from 'node:fs';
import type { Score } from '@rlaif/core';
import { execWithSandbox } from '../src/exec-teacher.js';
import { exec } from '../src/index.js';
import { createSandbox } from '../src/sandbox/bwrap.js';
import type { Sandbox, SandboxRunSpec } from '../src/sandbox/bwrap.js';
import type { ExecTeacher } from '../src/index.js';

/** A uid range of its own per test file, so leftover checks only see this file's runs. */
export function uidBaseFor(seed: number): number {
  return 300_000 + seed * 1000 + (process.pid % 100) * 10;
}

/** An exec teacher with limits short enough for tests. */
export function testTeacher(uidBase: number, extra: Parameters<typeof exec>[0] = {}): ExecTeacher {
  return exec({
    uidBase,
    concurrency: 2,
    testLimits: { wallMs: 2000, cpuSeconds: 1, memoryBytes: 256 * 2 ** 20, outputBytes: 64 * 1024 },
    ...extra,
  });
}

/** Host pids of processes whose real uid is in [from, to). */
export function processesOfUids(from: number, to: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1]);
      if (uid >= from && uid < to) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/** Host pids whose command line contains `marker`. */
export function processesWithArg(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(marker)) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/** An exec teacher over the real sandbox that shows `onRun` every run it starts. */
function observedTeacher(seed: number, onRun: (spec: SandboxRunSpec) => void) {
  return execWithSandbox({ uidBase: uidBaseFor(seed), concurrency: 2, testLimits: { wallMs: 2000, cpuSeconds: 1 } }, async (options) => {
    const sandbox = await createSandbox(options);
    const observed: Sandbox = { isolation: sandbox.isolation, run: (spec) => (onRun(spec), sandbox.run(spec)) };
    return observed;
  });
}

/** An exec teacher over the real sandbox that records every run it starts. */
export function recordingTeacher(seed: number) {
  const runs: SandboxRunSpec[] = [];
  return { teacher: observedTeacher(seed, (spec) => runs.push(spec)), runs };
}

/**
 * An exec teacher over the real sandbox that records the argv of every sandboxed run `isCompile`
 * picks (the candidate compilations a test counts; shared builds excluded by the predicate).
 */
export function compileCountingTeacher(seed: number, isCompile: (argv: readonly string[]) => boolean) {
  const compiles: string[][] = [];
  const teacher = observedTeacher(seed, (spec) => {
    if (isCompile(spec.argv)) compiles.push([...spec.argv]);
  });
  return { teacher, compiles };
}

/** What must not depend on how a candidate was built (without a reference, no score depends on wall times). */
export function comparableScore(score: Score | null | undefined) {
  return score && { overall: score.overall, breakdown: score.breakdown, evidence: score.evidence, tests: score.execution?.tests.map(({ name, passed, detail }) => ({ name, passed, detail })) };
}
