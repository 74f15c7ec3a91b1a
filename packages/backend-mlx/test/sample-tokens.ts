/**
 * A test-only sampler (no KV cache: one full forward per token) returning Rollouts with
 * behaviour log-probs, so training tests do not depend on the generation code.
 */
import { core as mx } from '@frost-beta/mlx';
import type { Rollout } from '@rlaif/core';
import type { CausalLanguageModel } from '../src/train/policy-optimizer.js';

const task = { id: 't', language: 'python' as const, prompt: 'p', extra: {} };

/** Samples `n` completions of `length` tokens after `prompt` at temperature 1. */
export function sampleRollouts(model: CausalLanguageModel, prompt: number[], n: number, length: number, version: number): Rollout[] {
  let seqs = Array.from({ length: n }, () => [...prompt]);
  const logprobs: number[][] = Array.from({ length: n }, () => []);
  for (let step = 0; step < length; step++) {
    const logits = model.forward(mx.array(seqs, mx.int32));
    const last = logits.index(mx.Slice(), -1);
    const logp = mx.subtract(last, mx.logsumexp(last, -1, true));
    const next = mx.random.categorical(logp);
    const picked = mx.takeAlongAxis(logp, mx.expandDims(next, -1), -1);
    const ids = next.tolist() as number[];
    const lps = (picked.tolist() as number[][]).map((r) => r[0]!);
    seqs = seqs.map((s, i) => [...s, ids[i]!]);
    lps.forEach((lp, i) => logprobs[i]!.push(lp));
  }
  return seqs.map((s, i) => ({
    task,
    sampleIndex: i,
    text: '',
    code: '',
    promptTokens: prompt,
    completionTokens: s.slice(prompt.length),
    behaviourLogprobs: logprobs[i]!,
    finishReason: 'length',
    policyVersion: version,
    generationMs: 0,
  }));
}
