import { describe, expect, it } from 'vitest';
import { fillBareFlag } from './bare-flag.js';

describe('fillBareFlag', () => {
  it('gives a bare --resume its default at the end, before a flag or before a config file', () => {
    expect(fillBareFlag(['--resume'], '--resume', 'latest')).toEqual(['--resume', 'latest']);
    expect(fillBareFlag(['--resume', '--dry-run'], '--resume', 'latest')).toEqual(['--resume', 'latest', '--dry-run']);
    expect(fillBareFlag(['--resume', 'rlaif.config.ts'], '--resume', 'latest')).toEqual(['--resume', 'latest', 'rlaif.config.ts']);
    expect(fillBareFlag(['--resume', 'configs/.rlaifrc'], '--resume', 'latest')).toEqual(['--resume', 'latest', 'configs/.rlaifrc']);
  });

  it('keeps a given value and everything after --', () => {
    expect(fillBareFlag(['c.ts', '--resume', 'runs/a/checkpoints/checkpoint-e1-b2-gs3'], '--resume', 'latest')).toEqual(['c.ts', '--resume', 'runs/a/checkpoints/checkpoint-e1-b2-gs3']);
    expect(fillBareFlag(['--resume', 'latest'], '--resume', 'latest')).toEqual(['--resume', 'latest']);
    expect(fillBareFlag(['--resume=latest', '--', '--resume'], '--resume', 'latest')).toEqual(['--resume=latest', '--', '--resume']);
  });
});
