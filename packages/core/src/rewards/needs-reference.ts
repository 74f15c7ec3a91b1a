import type { RewardContext, RewardInput } from '../contracts/reward-fn.js';

/**
 * For rewards that compare with the reference: says once per run (through `context.warn`) that
 * scored samples of tasks without a reference get no reward from `name`.
 */
export function warnIfNoReference(name: string, batch: readonly RewardInput[], context: RewardContext): void {
  if (!batch.some((input) => input.score !== null && input.reference === null)) return;
  context.warn?.(
    `reward '${name}' needs a reference: samples of tasks without one (and a teacher that writes none) get no '${name}' reward; ` +
      "add `reference` fields to the data, let a teacher write them (exec({ referenceTeacher })), or add { fn: 'pass_rate' } to `rewards`",
  );
}
