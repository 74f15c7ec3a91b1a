import { core as mx } from '@frost-beta/mlx';
import { describe, expect, it } from 'vitest';
import { RandomKeys } from './random-keys.js';

const draw = (keys: RandomKeys) => mx.random.uniform(0, 1, [4], mx.float32, keys.next()).tolist() as number[];

describe('RandomKeys', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = new RandomKeys(42);
    const b = new RandomKeys(42);
    const first = draw(a);
    expect(draw(b)).toEqual(first);
    expect(draw(a)).not.toEqual(first);
    expect(draw(new RandomKeys(43))).not.toEqual(first);
  });

  it('forks independent, reproducible child streams', () => {
    const [x, y] = new RandomKeys(7).fork(2);
    const [x2] = new RandomKeys(7).fork(2);
    const fromX = draw(x!);
    expect(draw(y!)).not.toEqual(fromX);
    expect(draw(x2!)).toEqual(fromX);
  });
});
