import { expect } from 'vitest';
import { CRITERIA, type Score, type TeacherUsage } from '../contracts/score.js';

/** Checks the Score invariants: every number finite and in [0, 1], evidence a string. */
export function expectValidScore(score: Score): void {
  expect(Number.isFinite(score.overall)).toBe(true);
  expect(score.overall).toBeGreaterThanOrEqual(0);
  expect(score.overall).toBeLessThanOrEqual(1);
  for (const criterion of CRITERIA) {
    const value = score.breakdown[criterion];
    expect(Number.isFinite(value), `${criterion} is finite`).toBe(true);
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(1);
  }
  expect(typeof score.evidence).toBe('string');
  if (score.execution) {
    expect(score.execution.testsPassed).toBeLessThanOrEqual(score.execution.testsTotal);
    expect(score.execution.tests.length).toBe(score.execution.testsTotal);
  }
}

/** Checks the TeacherUsage invariants: non-negative finite counts. */
export function expectValidUsage(usage: TeacherUsage): void {
  for (const [key, value] of Object.entries(usage)) {
    expect(Number.isFinite(value), `${key} is finite`).toBe(true);
    expect(value, key).toBeGreaterThanOrEqual(0);
  }
}
