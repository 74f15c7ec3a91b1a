import { describe, expect, it } from 'vitest';
import type { Task } from '../contracts/task.js';
import { PromptSource } from './prompt-source.js';
import { splitTasks } from './split-tasks.js';

const tasks: Task[] = Array.from({ length: 10 }, (_, i) => ({ id: `t${i}`, language: 'python', prompt: `task ${i}`, extra: {} }));
const ids = (list: readonly Task[]) => list.map((task) => task.id);

describe('splitTasks', () => {
  it('is deterministic per seed, disjoint and complete, keeping file order', () => {
    const a = splitTasks(tasks, 0.3, 1);
    expect(ids(a.eval)).toEqual(ids(splitTasks(tasks, 0.3, 1).eval));
    expect(a.eval).toHaveLength(3);
    expect([...ids(a.train), ...ids(a.eval)].sort()).toEqual(ids(tasks).sort());
    expect(ids(a.train)).toEqual([...ids(a.train)].sort((x, y) => Number(x.slice(1)) - Number(y.slice(1))));
    const seeds = new Set(Array.from({ length: 8 }, (_, seed) => ids(splitTasks(tasks, 0.3, seed).eval).join()));
    expect(seeds.size).toBeGreaterThan(1);
  });

  it('holds out at least one task when the fraction is > 0, and never all of them', () => {
    expect(splitTasks(tasks.slice(0, 2), 0.01, 5).eval).toHaveLength(1);
    expect(splitTasks(tasks.slice(0, 2), 0.99, 5).train).toHaveLength(1);
    expect(splitTasks(tasks.slice(0, 1), 0.5, 5).eval).toHaveLength(0);
    expect(splitTasks(tasks, 0, 5).train).toHaveLength(10);
    expect(() => splitTasks(tasks, 1, 5)).toThrow(/\[0, 1\)/);
  });
});

describe('PromptSource', () => {
  it('cuts epochs into batches, keeping the last partial batch', () => {
    const source = new PromptSource(tasks, { batchSize: 4, shuffle: false, seed: 0 });
    expect(source.batchesPerEpoch).toBe(3);
    expect(ids(source.batch(0, 0))).toEqual(['t0', 't1', 't2', 't3']);
    expect(ids(source.batch(3, 2))).toEqual(['t8', 't9']);
    expect(() => source.batch(0, 3)).toThrow(/out of range/);
  });

  it('caps batches per epoch, each epoch serving the first batches of its own order', () => {
    const source = new PromptSource(tasks, { batchSize: 3, shuffle: true, seed: 11, maxBatchesPerEpoch: 2 });
    expect(source.batchesPerEpoch).toBe(2);
    expect(() => source.batch(0, 2)).toThrow(/out of range/);
    expect([...source.batch(1, 0), ...source.batch(1, 1)]).toEqual(source.epochOrder(1).slice(0, 6));
    expect(ids(source.batch(0, 0))).not.toEqual(ids(source.batch(1, 0)));
    expect(source.advance({ epoch: 0, batch: 1 })).toEqual({ epoch: 1, batch: 0 });
  });

  it('shuffles each epoch differently, covering every task once', () => {
    const source = new PromptSource(tasks, { batchSize: 3, shuffle: true, seed: 11 });
    const epoch = (e: number) => Array.from({ length: source.batchesPerEpoch }, (_, b) => ids(source.batch(e, b))).flat();
    expect([...epoch(0)].sort()).toEqual(ids(tasks).sort());
    expect(epoch(0)).not.toEqual(epoch(1));
    expect(epoch(0)).not.toEqual(ids(tasks));
  });

  it('a resumed source gives the same batches without replaying earlier ones', () => {
    const options = { batchSize: 3, shuffle: true, seed: 11 };
    const original = new PromptSource(tasks, options);
    const seen: string[][] = [];
    for (let e = 0; e < 3; e++) for (let b = 0; b < original.batchesPerEpoch; b++) seen.push(ids(original.batch(e, b)));
    const resumed = new PromptSource(tasks, options);
    expect(ids(resumed.batch(2, 1))).toEqual(seen[2 * original.batchesPerEpoch + 1]);
    expect(ids(resumed.batch(1, 3))).toEqual(seen[original.batchesPerEpoch + 3]);
  });

  it('advance rolls over into the next epoch', () => {
    const source = new PromptSource(tasks, { batchSize: 4, shuffle: false, seed: 0 });
    expect(source.advance({ epoch: 0, batch: 1 })).toEqual({ epoch: 0, batch: 2 });
    expect(source.advance({ epoch: 0, batch: 2 })).toEqual({ epoch: 1, batch: 0 });
  });

  it('rejects an empty task list and a bad batch size', () => {
    expect(() => new PromptSource([], { batchSize: 1, shuffle: false, seed: 0 })).toThrow(/at least one task/);
    expect(() => new PromptSource(tasks, { batchSize: 0, shuffle: false, seed: 0 })).toThrow(/positive integer/);
  });
});
