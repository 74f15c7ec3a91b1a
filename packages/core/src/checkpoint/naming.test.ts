import { describe, expect, it } from 'vitest';
import type { CheckpointNameParts } from './naming.js';
import { formatCheckpointName, isFinalCheckpointName, isKeptCheckpointName, parseCheckpointName } from './naming.js';

describe('checkpoint names', () => {
  it.each<[CheckpointNameParts, string]>([
    [{ kind: 'batch', epoch: 2, batch: 10, globalStep: 1 }, 'checkpoint-e2-b10-gs1'],
    [{ kind: 'epoch-end', epoch: 2, globalStep: 1 }, 'checkpoint-e2-end-gs1'],
    [{ kind: 'steps', globalStep: 500, epoch: 3, batch: 12 }, 'checkpoint-gs500-e3-b12'],
    [{ kind: 'final', globalStep: 7 }, 'checkpoint-final-gs7'],
    [{ kind: 'sft', globalStep: 0 }, 'checkpoint-sft-gs0'],
  ])('%o ⇄ %s', (parts, name) => {
    expect(formatCheckpointName(parts)).toBe(name);
    expect(parseCheckpointName(name)).toEqual(parts);
  });

  it('rejects other names', () => {
    for (const name of ['checkpoint-500', 'checkpoint-e1-b2', '.tmp-checkpoint-final-gs7', 'checkpoint-final-gs7-old', 'checkpoint-e-1-b2-gs3']) {
      expect(parseCheckpointName(name)).toBeNull();
    }
    expect(isFinalCheckpointName('checkpoint-final-gs7')).toBe(true);
    expect(isFinalCheckpointName('checkpoint-e2-end-gs1')).toBe(false);
    expect(['checkpoint-final-gs7', 'checkpoint-sft-gs0', 'checkpoint-e2-end-gs1'].map(isKeptCheckpointName)).toEqual([true, true, false]);
  });
});
