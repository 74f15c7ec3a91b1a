import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginContext } from '../contracts/plugin.js';
import type { Task } from '../contracts/task.js';
import type { Teacher } from '../contracts/teacher.js';
import { expectValidScore, expectValidUsage } from './assertions.js';
import { sampleTask } from './fixtures.js';
import { temporaryPluginContext } from './plugin-context.js';

export interface TeacherConformanceOptions {
  /** Builds the teacher under test (pointed at a local server, a sandbox, …). */
  makeTeacher(): Teacher | Promise<Teacher>;
  /** The task to score; defaults to `sampleTask()` (Python, with tests and a reference). */
  task?: Task;
  /** Code that solves the task, and code that does not. */
  goodCode?: string;
  badCode?: string;
  capabilities?: {
    /** The teacher really judges: the good candidate scores above the bad one. */
    discriminates?: boolean;
    /** The teacher writes references itself (test with a task that has none). */
    writesReferences?: boolean;
    /** Without a reference the teacher writes none (`reference` is null) and scores on the tests alone. */
    scoresWithoutReference?: boolean;
  };
}

/** The Teacher contract, as every implementation must honour it. */
export function describeTeacherConformance(name: string, options: TeacherConformanceOptions): void {
  const task = options.task ?? sampleTask();
  const goodCode = options.goodCode ?? task.reference ?? '';
  const badCode = options.badCode ?? 'def add(a, b):\n    return a - b\n';

  describe(`Teacher conformance: ${name}`, () => {
    let teacher: Teacher;
    let context: PluginContext;

    beforeAll(async () => {
      teacher = await options.makeTeacher();
      context = await temporaryPluginContext();
      await teacher.setup?.(context);
    });
    afterAll(async () => {
      await teacher?.close?.();
    });

    it('declares the v1 teacher contract', () => {
      expect(teacher.specificationVersion).toBe('v1');
      expect(teacher.kind).toBe('teacher');
      expect(teacher.name).toMatch(/\S/);
    });

    it("uses the task's own reference when it has one", async () => {
      if (!task.reference) return expect(task.reference).toBeUndefined();
      const reference = await teacher.reference(task);
      expect(reference).toMatchObject({ code: task.reference, source: 'task' });
    });

    it('scores every candidate and the reference with valid scores', async () => {
      const reference = await teacher.reference(task);
      const result = await teacher.score(task, [{ code: goodCode }, { code: badCode }], reference);
      expect(result.scores).toHaveLength(2);
      for (const score of result.scores) if (score) expectValidScore(score);
      if (result.referenceScore) expectValidScore(result.referenceScore);
      expectValidUsage(result.usage);
      if (options.capabilities?.discriminates) {
        expect(result.scores[0]).not.toBeNull();
        expect(result.scores[1]).not.toBeNull();
        expect(result.scores[0]!.overall).toBeGreaterThan(result.scores[1]!.overall);
      }
    });

    it('returns no scores for no candidates', async () => {
      const reference = await teacher.reference(task);
      const result = await teacher.score(task, [], reference);
      expect(result.scores).toEqual([]);
    });

    it('keeps a cumulative, non-decreasing usage count', async () => {
      const before = teacher.usage();
      expectValidUsage(before);
      const reference = await teacher.reference(task);
      await teacher.score(task, [{ code: goodCode }], reference);
      const after = teacher.usage();
      expectValidUsage(after);
      expect(after.requests + after.cacheHits).toBeGreaterThanOrEqual(before.requests + before.cacheHits);
      expect(after.inputTokens).toBeGreaterThanOrEqual(before.inputTokens);
      expect(after.costUSD).toBeGreaterThanOrEqual(before.costUSD);
    });

    if (options.capabilities?.writesReferences) {
      it('writes a reference for a task that has none', async () => {
        const { reference: _omitted, ...rest } = task;
        const reference = await teacher.reference({ ...rest, id: `${task.id}-no-reference` });
        expect(reference?.source).toBe('teacher');
        expect(reference?.code.trim().length).toBeGreaterThan(0);
      });
    }

    if (options.capabilities?.scoresWithoutReference) {
      it('scores a task that has tests but no reference, without one', async () => {
        const { reference: _omitted, ...rest } = task;
        const testOnly: Task = { ...rest, id: `${task.id}-tests-only` };
        expect(await teacher.reference(testOnly)).toBeNull();
        const result = await teacher.score(testOnly, [{ code: goodCode }, { code: badCode }], null);
        expect(result.referenceScore).toBeNull();
        expect(result.scores).toHaveLength(2);
        for (const score of result.scores) expectValidScore(score!);
        if (options.capabilities?.discriminates) expect(result.scores[0]!.overall).toBeGreaterThan(result.scores[1]!.overall);
      });
    }
  });
}
