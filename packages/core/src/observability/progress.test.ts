import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Progress } from './progress.js';

const update = { step: 2, totalSteps: 10, epoch: 1, epochs: 1, reward: 0.5, loss: 0.1, tokensPerSec: 100, elapsedSeconds: 200 };

function lines(apply: (progress: Progress) => void): string {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (chunk: Buffer) => (out += chunk.toString()));
  apply(new Progress(stream, 'plain'));
  return out;
}

describe('Progress', () => {
  it('extrapolates the ETA from elapsed time, or uses the one it is given', () => {
    // 2 of 10 steps in 200 s: 800 s left.
    expect(lines((p) => p.update(update))).toMatch(/ETA 13m 20s/);
    // A warm-up took most of those 200 s; the trainer knows the RL pace and passes 80 s.
    expect(lines((p) => p.update({ ...update, etaSeconds: 80 }))).toMatch(/ETA 1m 20s/);
  });
});
