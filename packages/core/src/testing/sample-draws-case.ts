/**
 * The common-random-numbers property every in-process sampler keeps (see SampleRows): a sample's random
 * draws follow its place in the request, so neither the samples that finish beside it nor the length of
 * the batch before it change what it draws. Checked on a real model whose vocabulary ids 0, 5, 10, …
 * are made end-of-sequence tokens, so samples leave the batch at different steps.
 */
import { expect, it } from 'vitest';
import type { SamplingParams } from '../contracts/generator.js';
import type { EngineSample } from '../backend-kit/engine-rollouts.js';

/** One call of an engine's sampler: `n` samples of each prompt at temperature 1. */
export type SampleDrawsProbe = (
  prompts: readonly (readonly number[])[],
  n: number,
  options: { readonly sampling: SamplingParams; readonly eosTokenIds: readonly number[]; readonly maxBatchRows?: number },
) => Promise<EngineSample[][]>;

/**
 * Registers the tests of `generate` with `prompt` (token ids, each below 300) on a model of
 * `vocabularySize` (≥ 300) token ids; every fifth id ends a sample.
 */
export function itDrawsEachSampleByItsPlace(generate: SampleDrawsProbe, prompt: readonly number[], vocabularySize: number): void {
  const eosTokenIds = Array.from({ length: Math.floor(vocabularySize / 5) }, (_, i) => 5 * i);
  const other = prompt.map((id) => (id + 1) % 300);
  const sampling = (seed: number): SamplingParams => ({ temperature: 1, topP: 1, topK: 0, minP: 0, maxNewTokens: 16, stop: [], seed });
  const expectSameSamples = (a: EngineSample[], b: EngineSample[]) => {
    expect(b.map((s) => s.tokenIds)).toEqual(a.map((s) => s.tokenIds));
    // Log-probs equal up to the rounding of a differently shaped batch.
    b.forEach((sample, i) => sample.logprobs.forEach((value, t) => expect(value).toBeCloseTo(a[i]!.logprobs[t]!, 5)));
  };

  it('gives a sample the same draws whichever other samples are still decoding', async () => {
    const run = (first: readonly number[]) => generate([first, prompt], 4, { sampling: sampling(4), eosTokenIds });
    const [a, b] = [await run(prompt), await run(other)];
    // The first prompt's samples end at other steps, so the rows of the second prompt's samples move.
    expect(a[0]!.map((s) => s.tokenIds.length)).not.toEqual(b[0]!.map((s) => s.tokenIds.length));
    expectSameSamples(a[1]!, b[1]!);
  });

  it("does not let one batch's length change the draws of the next", async () => {
    const run = (first: readonly number[]) => generate([first, prompt], 4, { sampling: sampling(9), eosTokenIds, maxBatchRows: 4 });
    const [a, b] = [await run(prompt), await run(other)];
    expect(a[0]!.map((s) => s.tokenIds.length)).not.toEqual(b[0]!.map((s) => s.tokenIds.length));
    expectSameSamples(a[1]!, b[1]!);
  });
}
