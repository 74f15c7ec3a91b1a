import type { Rollout } from '../contracts/rollout.js';
import type { Score } from '../contracts/score.js';
import type { Task } from '../contracts/task.js';

/** A small Python task with tests and a reference, for conformance suites. */
export function sampleTask(overrides: Partial<Task> = {}): Task {
  return {
    id: 'add-two',
    language: 'python',
    prompt: 'Write a Python function `add(a, b)` that returns the sum of two integers.',
    tests: 'def test_small():\n    assert add(1, 2) == 3\n\ndef test_negative():\n    assert add(-4, 1) == -3\n',
    reference: 'def add(a, b):\n    """Return the sum of a and b."""\n    return a + b\n',
    extra: {},
    ...overrides,
  };
}

/** A rollout of `task` with the given code, as a Generator would return it. */
export function sampleRollout(task: Task, code: string, sampleIndex = 0): Rollout {
  const completionTokens = Array.from({ length: Math.max(1, Math.min(32, code.length)) }, (_, i) => (i * 7 + sampleIndex) % 50);
  return {
    task,
    sampleIndex,
    text: `\`\`\`${task.language}\n${code}\n\`\`\``,
    code,
    promptTokens: [1, 2, 3],
    completionTokens,
    behaviourLogprobs: completionTokens.map(() => -1),
    finishReason: 'eos',
    policyVersion: 0,
    generationMs: 1,
  };
}

/** A score with every dimension equal to `value`. */
export function uniformScore(value: number, evidence = ''): Score {
  return {
    overall: value,
    breakdown: { correctness: value, quality: value, efficiency: value, documentation: value },
    evidence,
  };
}
