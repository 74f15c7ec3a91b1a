import { core as mx } from '@frost-beta/mlx';
import { describe, expect, it } from 'vitest';
import { AdamW } from './adamw.js';
import { adamStep, compileWorks } from './fused-update.js';

/** Textbook AdamW on one tensor, op by op: clip-scaled gradient, m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ). */
function referenceStep(p: mx.array, g: mx.array, m: mx.array, v: mx.array, t: number, lr: number, scale: number): mx.array[] {
  const [b1, b2, eps, wd] = [0.9, 0.999, 1e-8, 0.01];
  const gs = mx.multiply(g, scale);
  const m2 = mx.add(mx.multiply(m, b1), mx.multiply(gs, 1 - b1));
  const v2 = mx.add(mx.multiply(v, b2), mx.multiply(mx.square(gs), 1 - b2));
  const mHat = mx.divide(m2, 1 - b1 ** t);
  const vHat = mx.divide(v2, 1 - b2 ** t);
  const next = mx.subtract(mx.multiply(p, 1 - lr * wd), mx.multiply(mx.divide(mHat, mx.add(mx.sqrt(vHat), eps)), lr));
  return [next, m2, v2];
}

const maxDiff = (a: mx.array, b: mx.array) => mx.max(mx.abs(mx.subtract(a, b))).item() as number;

describe('AdamW (fused update)', () => {
  it('after reset() updates exactly like a fresh AdamW (moments and bias correction start again)', () => {
    mx.random.seed(5);
    const names = ['w'];
    const options = { betas: [0.9, 0.999] as [number, number], epsilon: 1e-8, weightDecay: 0.01 };
    const used = new AdamW(options);
    let params = [mx.random.normal([6, 4])];
    for (let t = 0; t < 3; t++) {
      params = used.update(names, params, [mx.random.normal([6, 4])], 1e-2);
      mx.eval(...params, ...used.pendingState());
    }
    const grad = [mx.random.normal([6, 4])];
    used.reset();
    expect(used.step).toBe(0);
    const afterReset = used.update(names, params, grad, 1e-2);
    const fresh = new AdamW(options).update(names, params, grad, 1e-2);
    mx.eval(...afterReset, ...fresh);
    expect(maxDiff(afterReset[0]!, fresh[0]!)).toBe(0);
    // And unlike one that kept its moments.
    const kept = new AdamW(options);
    let keptParams = params;
    for (let t = 0; t < 2; t++) keptParams = kept.update(names, keptParams, [mx.random.normal([6, 4])], 1e-2);
    expect(maxDiff(kept.update(names, params, grad, 1e-2)[0]!, fresh[0]!)).toBeGreaterThan(1e-4);
  });

  it('matches a textbook AdamW update on random tensors within 1e-6, with clip scales and changing learning rates', () => {
    mx.random.seed(3);
    const shapes = [[7, 5], [64], [3, 4, 5]];
    let params = shapes.map((s) => mx.random.normal(s));
    let ref = [...params];
    let m = shapes.map((s) => mx.zeros(s));
    let v = shapes.map((s) => mx.zeros(s));
    const adam = new AdamW({ betas: [0.9, 0.999], epsilon: 1e-8, weightDecay: 0.01 });
    const names = shapes.map((_, i) => `p${i}`);
    for (let t = 1; t <= 4; t++) {
      const grads = shapes.map((s) => mx.multiply(mx.random.normal(s), 0.1 * t));
      const lr = 1e-3 * t;
      const scale = t % 2 ? 1 : 0.37;
      params = adam.update(names, params, grads, lr, scale);
      const stepped = ref.map((p, i) => referenceStep(p, grads[i]!, m[i]!, v[i]!, t, lr, scale));
      ref = stepped.map((x) => x[0]!);
      m = stepped.map((x) => x[1]!);
      v = stepped.map((x) => x[2]!);
      mx.eval(...params, ...adam.pendingState(), ...ref, ...m, ...v);
      params.forEach((p, i) => expect(maxDiff(p, ref[i]!)).toBeLessThan(1e-6));
      adam.state().m.forEach((x, i) => expect(maxDiff(x, m[i]!)).toBeLessThan(1e-6));
      adam.state().v.forEach((x, i) => expect(maxDiff(x, v[i]!)).toBeLessThan(1e-6));
    }
    expect(adam.step).toBe(4);
  });

  it('gives the same result compiled and unfused, and keeps a bfloat16 parameter in bfloat16', () => {
    expect(typeof compileWorks()).toBe('boolean');
    mx.random.seed(5);
    const [p, g] = [mx.random.normal([33, 17]), mx.random.normal([33, 17])];
    const scalars = [0.9, 0.1, 0.999, 0.001, 0.99, 1e-3, 1e-8].map((x) => mx.array(x, mx.float32)) as Parameters<typeof adamStep> extends [unknown, unknown, unknown, unknown, ...infer S] ? S : never;
    const fused = mx.compile(adamStep)(p, g, mx.zerosLike(p), mx.zerosLike(p), ...scalars);
    const plain = adamStep(p, g, mx.zerosLike(p), mx.zerosLike(p), ...scalars);
    fused.forEach((x, i) => expect(maxDiff(x, plain[i]!)).toBeLessThan(1e-7));
    const adam = new AdamW({ betas: [0.9, 0.999], epsilon: 1e-8, weightDecay: 0 });
    const [next] = adam.update(['w'], [p.astype(mx.bfloat16)], [g], 1e-2);
    expect(next!.dtype).toBe(mx.bfloat16);
    expect(adam.pendingState()[0]!.dtype).toBe(mx.float32);
  });
});
