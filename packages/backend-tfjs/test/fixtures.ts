/** Shared by the backend's tests: backend-mlx's committed tiny checkpoints and synthetic rollouts. */
import { fileURLToPath } from 'node:url';
import type { PolicyBatch, Rollout } from '@rlaif/core';

/** A tiny random checkpoint committed by backend-mlx (transformers made it; golden.json beside it). */
export const fixture = (name: 'tiny-qwen2' | 'tiny-llama') => fileURLToPath(new URL(`../../backend-mlx/fixtures/${name}`, import.meta.url));

const task = { id: 't', language: 'python' as const, prompt: 'p', extra: {} };

/** Four rollouts with fixed tokens, uniform behaviour log-probs and ±0.5 advantages (temperature 1). */
export function syntheticBatch(vocab: number, step: number): PolicyBatch {
  const rollouts: Rollout[] = Array.from({ length: 4 }, (_, i) => ({
    task,
    sampleIndex: i,
    text: '',
    code: '',
    promptTokens: Array.from({ length: 8 }, (_, t) => (t * 7 + i) % vocab),
    completionTokens: Array.from({ length: 12 + i }, (_, t) => (t * 13 + i * 5 + step) % vocab),
    behaviourLogprobs: Array.from({ length: 12 + i }, () => -Math.log(vocab)),
    finishReason: 'length',
    policyVersion: step,
    generationMs: 0,
    samplingTemperature: 1,
  }));
  return { rollouts, advantages: rollouts.map((_, i) => (i % 2 ? 0.5 : -0.5)) };
}
