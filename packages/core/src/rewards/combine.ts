import type { RewardContext, RewardFn, RewardInput } from '../contracts/reward-fn.js';

/** A reward function with its weight in the sum. */
export interface WeightedRewardFn {
  readonly fn: RewardFn;
  readonly weight: number;
}

/** Per-rollout combined rewards plus each function's raw outputs, for metrics. */
export interface CombinedRewards {
  /** Weighted mean over the functions that applied; `null` when none applied or the sample was unscored. */
  readonly rewards: readonly (number | null)[];
  /** Raw values per function name, same order as the batch. */
  readonly perFunction: Readonly<Record<string, readonly (number | null)[]>>;
}

/**
 * Runs every reward function on the batch and combines them: Σ wᵢ·rᵢ / Σ wᵢ over the functions
 * that returned a number (`null` = not applicable, left out of both sums).
 */
export async function combineRewards(
  functions: readonly WeightedRewardFn[],
  batch: readonly RewardInput[],
  context: RewardContext,
): Promise<CombinedRewards> {
  const perFunction: Record<string, readonly (number | null)[]> = {};
  const outputs = await Promise.all(functions.map(({ fn }) => fn.compute(batch, context)));
  functions.forEach(({ fn }, i) => {
    const values = outputs[i]!;
    if (values.length !== batch.length) {
      throw new Error(`reward function '${fn.name}' returned ${values.length} values for a batch of ${batch.length}`);
    }
    values.forEach((value, j) => {
      if (value !== null && !Number.isFinite(value)) {
        throw new Error(`reward function '${fn.name}' returned ${value} for sample ${j}; rewards must be finite numbers or null`);
      }
    });
    perFunction[uniqueKey(perFunction, fn.name)] = values;
  });
  const rewards = batch.map((input, j) => {
    if (input.score === null) return null;
    let sum = 0;
    let weights = 0;
    functions.forEach(({ weight }, i) => {
      const value = outputs[i]![j];
      if (value === null || value === undefined) return;
      sum += weight * value;
      weights += weight;
    });
    return weights === 0 ? null : sum / weights;
  });
  return { rewards, perFunction };
}

function uniqueKey(record: Record<string, unknown>, name: string): string {
  let key = name;
  for (let i = 2; key in record; i++) key = `${name}_${i}`;
  return key;
}
