import { core as mx } from '@frost-beta/mlx';
import { describe, expect, it } from 'vitest';
import { samplingLogits } from './logits-filter.js';

// Reference nucleus in plain JS: the most likely tokens until their mass reaches topP (transformers' rule).
function nucleus(row: number[], topP: number): Set<number> {
  const max = Math.max(...row);
  const weights = row.map((v) => Math.exp(v - max));
  const total = weights.reduce((a, b) => a + b, 0);
  const order = weights.map((w, i) => [w / total, i] as const).sort((a, b) => a[0] - b[0]);
  const kept = new Set<number>();
  let cumulative = 0;
  for (const [p, i] of order) {
    cumulative += p;
    if (cumulative > 1 - topP) kept.add(i);
  }
  kept.add(order.at(-1)![1]);
  return kept;
}

function keptSets(filtered: mx.array): Set<number>[] {
  return (filtered.tolist() as number[][]).map((row) => new Set(row.flatMap((v, i) => (Number.isFinite(v) ? [i] : []))));
}

function randomRows(rows: number, vocab: number, scale: number, seed: number): mx.array {
  return mx.multiply(mx.random.normal([rows, vocab], mx.float32, undefined, undefined, mx.random.key(seed)), scale);
}

describe('samplingLogits', () => {
  it.each([
    ['peaked rows (nucleus inside the top candidates)', 6, 1],
    ['flat rows (nucleus needs the full sort)', 0.2, 2],
  ])('keeps exactly the top-p nucleus for %s', (_label, scale, seed) => {
    const logits = randomRows(3, 3000, scale, seed);
    const filtered = samplingLogits(logits, { temperature: 1, topK: 0, topP: 0.9, minP: 0 });
    const expected = (logits.tolist() as number[][]).map((row) => nucleus(row, 0.9));
    const kept = keptSets(filtered);
    kept.forEach((set) => expect(set.size).toBeGreaterThan(0));
    // Float32 sums differ from float64 ones only at the boundary token, if at all.
    kept.forEach((set, row) => expect(Math.abs(set.size - expected[row]!.size)).toBeLessThanOrEqual(1));
    kept.forEach((set, row) => expect([...expected[row]!].filter((i) => !set.has(i)).length).toBeLessThanOrEqual(1));
    if (scale < 1) expect(kept[0]!.size).toBeGreaterThan(1024);
  });

  it('keeps the k largest logits with top-k and leaves values untouched at temperature 1', () => {
    const logits = mx.array([[0.5, 3, -1, 2, 2.5]]);
    const filtered = samplingLogits(logits, { temperature: 1, topK: 2, topP: 1, minP: 0 }).tolist() as number[][];
    expect(filtered[0]).toEqual([-Infinity, 3, -Infinity, -Infinity, 2.5]);
  });

  it('divides by the temperature before filtering', () => {
    const filtered = samplingLogits(mx.array([[1, 2]]), { temperature: 0.5, topK: 0, topP: 1, minP: 0 }).tolist() as number[][];
    expect(filtered[0]).toEqual([2, 4]);
  });
});
