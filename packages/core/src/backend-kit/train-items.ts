/**
 * The rollouts of one optimiser step as training items: validated (one advantage per rollout, one
 * behaviour log-prob per completion token), with the loss weight of every completion token.
 * Engine-neutral: every backend's Optimizer starts its step here.
 */
import type { PolicyBatch } from '../contracts/optimizer.js';
import type { Rollout } from '../contracts/rollout.js';
import { BackendError } from '../errors/index.js';

/** One sequence to score: the prompt's ids and the completion's ids (token in, token out). */
export interface ScoredSequence {
  readonly promptTokens: readonly number[];
  readonly completionTokens: readonly number[];
}

/** One sequence with its per-token learning signal. */
export interface TrainItem extends ScoredSequence {
  readonly advantage: number;
  readonly behaviourLogprobs: readonly number[];
  /** Softmax temperature the behaviour log-probs were taken at (1 when unknown or greedy). */
  readonly temperature: number;
}

/** Flattens `batches` into items; empty completions are dropped, malformed input throws with a hint. */
export function collectItems(batches: readonly PolicyBatch[]): TrainItem[] {
  const items: TrainItem[] = [];
  batches.forEach((batch, b) => {
    if (batch.advantages.length !== batch.rollouts.length) {
      throw new BackendError(`batch ${b}: ${batch.rollouts.length} rollouts but ${batch.advantages.length} advantages`, {
        hint: 'give exactly one advantage per rollout, in the same order',
      });
    }
    batch.rollouts.forEach((rollout: Rollout, r) => {
      if (rollout.completionTokens.length !== rollout.behaviourLogprobs.length) {
        throw new BackendError(
          `batch ${b}, rollout ${r} (task ${rollout.task.id}): ${rollout.completionTokens.length} completion tokens but ${rollout.behaviourLogprobs.length} behaviour log-probs`,
          { hint: 'the generator must return one log-prob per completion token (token in, token out)' },
        );
      }
      const advantage = batch.advantages[r]!;
      if (!Number.isFinite(advantage)) {
        throw new BackendError(`batch ${b}, rollout ${r}: advantage is ${advantage}`, {
          hint: 'check the reward functions: every reward must be a finite number',
        });
      }
      // Empty completions and zero advantages contribute nothing but would still cost a forward pass.
      if (rollout.completionTokens.length === 0 || rollout.promptTokens.length === 0) return;
      items.push({
        promptTokens: rollout.promptTokens,
        completionTokens: rollout.completionTokens,
        behaviourLogprobs: rollout.behaviourLogprobs,
        advantage,
        // Greedy (0) behaviour log-probs are those of the untempered policy.
        temperature: rollout.samplingTemperature || 1,
      });
    });
  });
  return items;
}

/** Per-token loss weights so the whole update's loss is a token mean or a sequence mean. */
export function tokenWeights(
  group: readonly ScoredSequence[],
  aggregation: 'token' | 'sequence',
  sequences: number,
  tokens: number,
): number[][] {
  return group.map((s) => {
    const w = aggregation === 'token' ? 1 / tokens : 1 / (sequences * s.completionTokens.length);
    return s.completionTokens.map(() => w);
  });
}

/** Splits `items` into consecutive groups of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

