/** Helpers for the teacher-exec tests: a teacher with short limits and host-side process checks. */
import { readdirSync, readFileSync } from 'node:fs';
import { exec } from '../src/index.js';
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
