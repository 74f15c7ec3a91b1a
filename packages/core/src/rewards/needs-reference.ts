import type { RewardContext, RewardInput } from '../contracts/reward-fn.js';

/**
 * For a reward that compares with the reference: a check that says once (per reward instance, so
 * once per run) through `context.warn` that scored samples of tasks without a reference get none.
 */
export function noReferenceWarning(name: string): (batch: readonly RewardInput[], context: RewardContext) => void {
  let warned = false;
  return (batch, context) => {
    if (warned || !context.warn || !batch.some((input) => input.score !== null && input.reference === null)) return;
    warned = true;
    context.warn(
      `reward '${name}' needs a reference: samples of tasks without one (and a teacher that writes none) get no '${name}' reward; ` +
        "add `reference` fields to the data, let a teacher write them (exec({ referenceTeacher })), or add { fn: 'pass_rate' } to `rewards`",
    );
  };
}
