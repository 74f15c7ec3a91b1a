/**
 * The one plan of a run's steps. The loop, the learning-rate schedule, the progress bar and
 * `--dry-run` all read it, so they cannot disagree about how many updates a run makes.
 */

/** How the RL phase's batches become optimiser updates. */
export interface StepPlan {
  readonly epochs: number;
  /** RL batches in each epoch (tasks ÷ batchSize, capped by training.maxBatchesPerEpoch). */
  readonly batchesPerEpoch: number;
  /** Batches whose rollouts are pooled into one update. */
  readonly gradientAccumulationSteps: number;
  /** RL batches over the whole run: epochs × batchesPerEpoch. */
  readonly batches: number;
  /**
   * `Optimizer.step` calls over the whole run, the length of the learning-rate schedule. An epoch's
   * last batch always closes an update, so each epoch makes ceil(batchesPerEpoch ÷ accumulation).
   * PPO passes over one batch (`rlaif.ppoEpochs`) share its update's learning rate.
   */
  readonly policyUpdates: number;
}

export function planSteps(settings: { epochs: number; batchesPerEpoch: number; gradientAccumulationSteps: number }): StepPlan {
  const { epochs, batchesPerEpoch, gradientAccumulationSteps } = settings;
  if (!(gradientAccumulationSteps >= 1)) throw new RangeError(`gradientAccumulationSteps must be ≥ 1, got ${gradientAccumulationSteps}`);
  return {
    epochs,
    batchesPerEpoch,
    gradientAccumulationSteps,
    batches: epochs * batchesPerEpoch,
    policyUpdates: epochs * Math.ceil(batchesPerEpoch / gradientAccumulationSteps),
  };
}

/** Whether batch `index` (0-based, within its epoch) closes an optimiser update. */
export function closesUpdate(plan: StepPlan, index: number): boolean {
  return (index + 1) % plan.gradientAccumulationSteps === 0 || index === plan.batchesPerEpoch - 1;
}
