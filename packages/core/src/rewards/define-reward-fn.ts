import type { RewardContext, RewardFn, RewardInput } from '../contracts/reward-fn.js';

/** What a user writes: a name and a batched compute function. */
export interface RewardFnDefinition {
  readonly name: string;
  compute(batch: readonly RewardInput[], context: RewardContext): readonly (number | null)[] | Promise<readonly (number | null)[]>;
}

/**
 * Makes a RewardFn from a plain definition, the few lines a user writes in a plugin.
 * @example
 * export default defineRewardFn({
 *   name: 'short',
 *   compute: (batch) => batch.map(({ rollout }) => (rollout.completionTokens.length < 200 ? 1 : 0)),
 * });
 */
export function defineRewardFn(definition: RewardFnDefinition): RewardFn {
  if (!definition.name || typeof definition.compute !== 'function') {
    throw new TypeError('defineRewardFn needs { name: string, compute(batch, context) }');
  }
  return {
    specificationVersion: 'v1',
    kind: 'reward',
    name: definition.name,
    compute: (batch, context) => definition.compute(batch, context),
  };
}
