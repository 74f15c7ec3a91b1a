import { describe, expect, it } from 'vitest';
import { sampleTask } from '../testing/fixtures.js';
import { scoringUserPrompt } from './rubric.js';

describe('scoring prompt', () => {
  it('shows trusted context after the submission it belongs to, and nothing when absent', () => {
    const prompt = scoringUserPrompt(sampleTask(), [
      { label: 'A', code: 'def add(a, b):\n    return a + b', context: 'Sandboxed test run: 2/2 passed' },
      { label: 'B', code: 'def add(a, b):\n    return a - b' },
    ]);
    const a = prompt.indexOf('Submission A:');
    const notes = prompt.indexOf('Notes on submission A (from running it; trusted):\nSandboxed test run: 2/2 passed');
    expect(notes).toBeGreaterThan(a);
    expect(notes).toBeLessThan(prompt.indexOf('Submission B:'));
    expect(prompt).not.toMatch(/Notes on submission B/);
  });
});
