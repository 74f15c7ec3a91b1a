import { core as mx } from '@frost-beta/mlx';
import { describe, expect, it } from 'vitest';
import { applyLora } from '../src/lora/apply-lora.js';
import { flattenTrainable, updateNamed, valueAndGradients } from '../src/train/trainable-gradients.js';
import { close } from './mx-assert.js';
import { tinyModel } from './tiny-model.js';
import { fileURLToPath } from 'node:url';
import { loadModel } from '../src/load/load-model.js';

function lossOf(model: { forward(tokens: mx.array): mx.array }, tokens: mx.array): mx.array {
  const logits = model.forward(tokens);
  return mx.mean(mx.logsumexp(logits, -1));
}

describe('valueAndGradients', () => {
  it('gives every trainable parameter its own gradient (per-parameter reference, many trials)', () => {
    const model = tinyModel(1, { vocab: 24, hidden: 16, layers: 4, heads: 2, kvHeads: 1, intermediate: 24 });
    const tokens = mx.array([[1, 5, 7, 2, 9, 3]], mx.int32);
    const params = flattenTrainable(model);
    expect(params.names.length).toBeGreaterThan(30);
    // Reference: gradient w.r.t. one parameter at a time, all others constant.
    const reference = params.names.map((name, i) => {
      const g = mx.grad((p: mx.array) => {
        updateNamed(model, [name], [p]);
        return lossOf(model, tokens);
      })(params.values[i]!);
      updateNamed(model, [name], [params.values[i]!]);
      mx.eval(g);
      return g;
    });
    let mismatches = 0;
    for (let trial = 0; trial < 12; trial++) {
      const { gradients } = valueAndGradients(model, params, () => ({ loss: lossOf(model, tokens), aux: [] }));
      gradients.forEach((g, i) => {
        const ref = reference[i]!;
        if (!close(g, ref, 1e-4, 1e-6)) mismatches += 1;
      });
    }
    expect(mismatches).toBe(0);
  });

  it('matches per-parameter references on the real Qwen2 architecture (tied embeddings, biases)', async () => {
    const { model } = await loadModel(fileURLToPath(new URL('../fixtures/tiny-qwen2', import.meta.url)));
    const tokens = mx.array([[3, 40, 7, 99, 12]], mx.int32);
    const params = flattenTrainable(model);
    expect(params.names).toContain('model.layers.1.selfAttn.qProj.bias');
    let mismatches = 0;
    for (let trial = 0; trial < 5; trial++) {
      const { gradients } = valueAndGradients(model, params, () => ({ loss: lossOf(model, tokens), aux: [] }));
      params.names.forEach((name, i) => {
        const ref = mx.grad((p: mx.array) => {
          updateNamed(model, [name], [p]);
          return lossOf(model, tokens);
        })(params.values[i]!);
        updateNamed(model, [name], [params.values[i]!]);
        if (!close(gradients[i]!, ref, 1e-4, 1e-6)) mismatches += 1;
      });
    }
    expect(mismatches).toBe(0);
  });

  it('with LoRA, differentiates only the adapters', () => {
    const model = tinyModel(2);
    applyLora(model, { rank: 4, alpha: 8, dropout: 0, targetModules: [] });
    const params = flattenTrainable(model);
    expect(params.names.every((n) => n.endsWith('loraA') || n.endsWith('loraB'))).toBe(true);
    // 2 layers x 7 projections x (A, B)
    expect(params.names.length).toBe(28);
  });
});
