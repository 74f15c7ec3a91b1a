/**
 * Every trainable parameter's gradient of the policy loss (clipped ratio + k3 KL), checked entry by
 * entry against central finite differences of the same loss, for full fine-tuning and for LoRA.
 */
import { describe, expect, it } from 'vitest';
import { tf } from '../src/engine/tf.js';
import { loadModel } from '../src/load/load-model.js';
import { applyLora, trainableParameters } from '../src/lora/apply-lora.js';
import type { DecoderForCausalLM } from '../src/models/causal-lm.js';
import { policyLoss } from '../src/train/policy-loss.js';
import { alignToTargets, packSequences } from '../src/train/sequence-batch.js';
import { targetLogprobs } from '../src/train/token-statistics.js';
import { fixture, syntheticBatch } from './fixtures.js';
import { OPT } from './options.js';

const EPSILON = 1e-2;

function lossFunction(model: DecoderForCausalLM): () => tf.Scalar {
  const { rollouts, advantages } = syntheticBatch(384, 1);
  const packed = packSequences(rollouts);
  const tokens = rollouts.reduce((n, r) => n + r.completionTokens.length, 0);
  const inputs = tf.tensor2d(packed.inputs, undefined, 'int32');
  const targets = tf.tensor2d(packed.targets, undefined, 'int32');
  // A fixed reference, so the KL term has a gradient of its own.
  const reference = tf.tidy(() => tf.sub(targetLogprobs(model.forward(inputs), targets), 0.3));
  const tensors = {
    mask: tf.tensor2d(packed.mask),
    weights: tf.tensor2d(alignToTargets(packed, rollouts.map((r) => r.completionTokens.map(() => 100 / tokens)))),
    advantages: tf.tensor2d(alignToTargets(packed, rollouts.map((r, i) => r.completionTokens.map(() => advantages[i]!)))),
    behaviourLogprobs: tf.tensor2d(alignToTargets(packed, rollouts.map((r) => r.behaviourLogprobs.map((lp, t) => lp + 0.1 * Math.sin(t))))),
  };
  return () =>
    policyLoss({ logprobs: targetLogprobs(model.forward(inputs), targets), referenceLogprobs: reference, ...tensors }, { ...OPT, klPenalty: 0.5, klEstimator: 'k3', clipRange: 10 }).loss;
}

function checkEveryParameter(model: DecoderForCausalLM): number {
  const loss = lossFunction(model);
  const { names, variables } = trainableParameters(model);
  const { grads, value } = tf.variableGrads(loss, [...variables]);
  value.dispose();
  let checked = 0;
  let largestSeen = 0;
  variables.forEach((variable, p) => {
    const gradient = grads[variable.name]!.dataSync();
    const values = variable.dataSync().slice();
    // Three entries per parameter: the largest gradient and two fixed positions.
    const largest = gradient.reduce((best, g, i) => (Math.abs(g) > Math.abs(gradient[best]!) ? i : best), 0);
    for (const index of [largest, Math.floor(values.length / 3), values.length - 1]) {
      const at = (delta: number) => {
        const moved = values.slice();
        moved[index] = values[index]! + delta;
        variable.assign(tf.tensor(moved, variable.shape));
        return tf.tidy(() => loss().dataSync()[0]!);
      };
      const numeric = (at(EPSILON) - at(-EPSILON)) / (2 * EPSILON);
      variable.assign(tf.tensor(values, variable.shape));
      expect(Math.abs(gradient[index]! - numeric), `${names[p]}[${index}]: analytic ${gradient[index]} vs numeric ${numeric}`).toBeLessThan(2e-3 + 1e-2 * Math.abs(numeric));
      largestSeen = Math.max(largestSeen, Math.abs(numeric));
      checked += 1;
    }
  });
  for (const g of Object.values(grads)) g.dispose();
  // The loss is scaled (weights 100/tokens) so gradients are O(1): the tolerance above is not vacuous.
  expect(largestSeen).toBeGreaterThan(1);
  return checked;
}

describe('gradients against finite differences', () => {
  it('every weight of a full fine-tuning model (tied Qwen2)', async () => {
    const { model } = await loadModel(fixture('tiny-qwen2'), { trainable: true });
    expect(checkEveryParameter(model)).toBe(3 * model.parameterShapes().size);
    model.dispose();
  }, 120_000);

  it('every LoRA A and B of a Llama-3-rope model (B made non-zero first)', async () => {
    const { model } = await loadModel(fixture('tiny-llama'));
    applyLora(model, { rank: 2, alpha: 4, dropout: 0, targetModules: [] }, 5);
    for (const adapter of model.adapters.values()) adapter.b.assign(tf.randomNormal(adapter.b.shape, 0, 0.05, 'float32', 9));
    expect(checkEveryParameter(model)).toBe(3 * 2 * model.adapters.size);
    model.dispose();
  }, 120_000);
});
