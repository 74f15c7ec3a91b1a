import { describe, expect, it } from 'vitest';
import { Random } from './random.js';

const take = (random: Random, n: number) => Array.from({ length: n }, () => random.nextUint32());

describe('Random', () => {
  it('is deterministic per seed and differs across seeds', () => {
    expect(take(new Random(42), 8)).toEqual(take(new Random(42), 8));
    expect(take(new Random(42), 8)).not.toEqual(take(new Random(43), 8));
    expect(take(new Random(2 ** 40 + 1), 8)).not.toEqual(take(new Random(1), 8));
    expect(take(new Random(-7), 4)).toEqual(take(new Random(-7), 4));
  });

  it('restores exactly from a JSON round-tripped state', () => {
    const random = new Random(7);
    take(random, 100);
    const saved = JSON.parse(JSON.stringify(random.state())) as ReturnType<Random['state']>;
    const restored = Random.fromState(saved);
    expect(take(restored, 50)).toEqual(take(random, 50));
  });

  it('rejects a corrupt state and a bad seed', () => {
    expect(() => Random.fromState({ algorithm: 'xoshiro128**', words: [1, 2, 3] as unknown as [number, number, number, number] })).toThrow(/invalid random state/);
    expect(() => new Random(1.5)).toThrow(/safe integer/);
  });

  it('next() stays in [0, 1) and int(n) in [0, n) with roughly uniform counts', () => {
    const random = new Random(1);
    const counts = [0, 0, 0, 0, 0];
    let low = 1;
    let high = 0;
    for (let i = 0; i < 50_000; i++) {
      const x = random.next();
      low = Math.min(low, x);
      high = Math.max(high, x);
      counts[random.int(5)]! += 1;
    }
    expect(low).toBeGreaterThanOrEqual(0);
    expect(high).toBeLessThan(1);
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
    expect(() => random.int(0)).toThrow(/1 ≤ n/);
  });

  it('shuffle is an in-place permutation, reproducible by seed', () => {
    const a = Array.from({ length: 20 }, (_, i) => i);
    const b = [...a];
    new Random(3).shuffle(a);
    new Random(3).shuffle(b);
    expect(a).toEqual(b);
    expect(a).not.toEqual([...a].sort((x, y) => x - y));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('fork gives independent, label-specific streams without advancing the parent', () => {
    const parent = new Random(9);
    const before = parent.state();
    const a = parent.fork('epoch-1');
    const b = parent.fork('epoch-2');
    expect(parent.state()).toEqual(before);
    expect(take(a, 8)).not.toEqual(take(b, 8));
    expect(take(new Random(9).fork('epoch-1'), 8)).toEqual(take(new Random(9).fork('epoch-1'), 8));
    expect(take(parent.fork('x'), 8)).not.toEqual(take(new Random(9), 8));
  });
});
