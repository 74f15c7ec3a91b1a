import type { RewardFn } from '../contracts/reward-fn.js';
import { differenceReward } from './difference.js';
import { passRateReward } from './pass-rate.js';
import { ratioReward } from './ratio.js';

export { defineRewardFn, type RewardFnDefinition } from './define-reward-fn.js';
export { ratioReward, type RatioRewardOptions } from './ratio.js';
export { differenceReward } from './difference.js';
export { passRateReward } from './pass-rate.js';
export { defaultRewards, type DefaultRewards } from './default-rewards.js';
export { combineRewards, type CombinedRewards, type WeightedRewardFn } from './combine.js';

type RewardFactory = (options?: Record<string, unknown>) => RewardFn;

/** Reward functions usable by name in config (`rewards: [{ fn: 'ratio' }]`). */
export const BUILTIN_REWARDS: Readonly<Record<string, RewardFactory>> = {
  ratio: (options) => ratioReward(options),
  difference: () => differenceReward(),
  pass_rate: () => passRateReward(),
};

/** The built-ins with the config's defaults: `ratio` takes ε from `rlaif.rewardEpsilon` unless its entry sets `epsilon`. */
export function configuredBuiltinRewards(rlaif: { readonly rewardEpsilon: number }): Readonly<Record<string, RewardFactory>> {
  return { ...BUILTIN_REWARDS, ratio: (options) => ratioReward({ epsilon: rlaif.rewardEpsilon, ...options }) };
}
