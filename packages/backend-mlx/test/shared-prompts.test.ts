import { core as mx } from '@frost-beta/mlx';
import { parseModelConfig } from '@rlaif/hf';
import { describe, expect, it } from 'vitest';
import { createModel } from '../src/models/registry.js';
import { packSequences } from '../src/train/sequence-batch.js';
import { forwardPacked, packForScoring, packSharedPrompts, sharesPrompts } from '../src/train/shared-prompts.js';
import { targetLogprobs } from '../src/train/token-statistics.js';
import { flattenTrainable, valueAndGradients } from '../src/train/trainable-gradients.js';

function qwen2() {
  const config = parseModelConfig(
    { model_type: 'qwen2', hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, intermediate_size: 48, vocab_size: 40, rms_norm_eps: 1e-6, rope_theta: 10000, tie_word_embeddings: true, max_position_embeddings: 128 },
    'test',
  );
  mx.random.seed(7);
  const model = createModel(config);
  mx.eval(model.parameters());
  return model;
}

// Two prompts of different lengths, three samples each, completions of different lengths (one of a single token).
const PROMPTS = [
  [3, 9, 4, 17, 2],
  [8, 1, 30],
];
const COMPLETIONS = [[5, 6, 7, 8], [11], [12, 13, 14, 15, 16, 17], [20, 21], [22, 23, 24], [25, 26, 27, 28, 29]];
const SEQUENCES = COMPLETIONS.map((completionTokens, i) => ({ promptTokens: PROMPTS[i % 2]!, completionTokens }));

/** Each sequence's completion log-probs as plain numbers, from a packing's [B, T] log-probs. */
function perSequence(logprobs: mx.array, offsets: readonly number[]): number[][] {
  const rows = logprobs.tolist() as number[][];
  return SEQUENCES.map((s, b) => rows[b]!.slice(offsets[b]!, offsets[b]! + s.completionTokens.length));
}

describe('shared prompts', () => {
  it('give the same completion log-probs as whole sequences', () => {
    const model = qwen2();
    const whole = packSequences(SEQUENCES);
    const shared = packSharedPrompts(SEQUENCES);
    expect(shared.prompts.tokens.shape).toEqual([2, 4]);
    const expected = perSequence(targetLogprobs(model.forward(whole.inputs), whole.targets), whole.offsets);
    const actual = perSequence(targetLogprobs(forwardPacked(model, shared), shared.targets), shared.offsets);
    actual.flat().forEach((value, i) => expect(value).toBeCloseTo(expected.flat()[i]!, 5));
  });

  it('give the same gradients as whole sequences', () => {
    const model = qwen2();
    const params = flattenTrainable(model);
    const lossOf = (packed: ReturnType<typeof packSequences>) => () => {
      const logprobs = targetLogprobs(forwardPacked(model, packed), packed.targets);
      // Unequal weights per row, so a gradient sent to the wrong sample would show.
      const weights = mx.array(SEQUENCES.map((_, b) => [b + 1]), mx.float32);
      return { loss: mx.sum(mx.multiply(mx.multiply(logprobs, packed.mask), weights)), aux: [] };
    };
    const whole = valueAndGradients(model, params, lossOf(packSequences(SEQUENCES)));
    const shared = valueAndGradients(model, params, lossOf(packSharedPrompts(SEQUENCES)));
    expect(shared.loss.item() as number).toBeCloseTo(whole.loss.item() as number, 4);
    whole.gradients.forEach((g, i) => {
      const difference = mx.max(mx.abs(mx.subtract(g, shared.gradients[i]!))).item() as number;
      const scale = mx.max(mx.abs(g)).item() as number;
      expect(difference, params.names[i]).toBeLessThan(1e-4 * Math.max(1, scale));
    });
  });

  it('are used only when a prompt repeats and the model has a KV cache', () => {
    expect(sharesPrompts(SEQUENCES)).toBe(true);
    expect(sharesPrompts(SEQUENCES.slice(0, 2))).toBe(false);
    expect(sharesPrompts([{ promptTokens: [4], completionTokens: [1] }, { promptTokens: [4], completionTokens: [2] }])).toBe(false);
    const model = qwen2();
    expect('prompts' in packForScoring(model, SEQUENCES)).toBe(true);
    expect('prompts' in packForScoring({ forward: (tokens: mx.array) => model.forward(tokens) }, SEQUENCES)).toBe(false);
  });
});
