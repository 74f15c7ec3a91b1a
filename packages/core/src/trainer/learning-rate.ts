/**
 * Learning-rate schedules: linear warm-up, then constant, linear decay or cosine decay. Every backend
 * calls this for the policy-gradient updates, with `totalSteps` = StepPlan.policyUpdates, so the rate
 * follows one plan whatever the engine; the SFT warm-up calls it over its own steps and passes each
 * step's rate to `Optimizer.supervisedStep`.
 */
import type { OptimizationSpec } from '../contracts/backend.js';
import { BackendError } from '../errors/index.js';

export type ScheduleSpec = Pick<OptimizationSpec, 'learningRate' | 'schedule' | 'warmupSteps' | 'totalSteps'>;

/**
 * Learning rate of policy update number `update` (0-based; the n-th `Optimizer.step` call of the RL
 * phase). Warm-up ramps to the peak over `warmupSteps` updates; decay reaches 0 just after the last
 * planned update, so every planned update has a positive rate. Updates past the plan (a stop
 * applies a partial accumulation) stay at the end value.
 */
export function learningRateAt(spec: ScheduleSpec, update: number): number {
  const { learningRate, warmupSteps, totalSteps } = spec;
  if (warmupSteps > 0 && update < warmupSteps) return (learningRate * (update + 1)) / warmupSteps;
  if (spec.schedule === 'constant') return learningRate;
  const decaySteps = Math.max(1, totalSteps - warmupSteps);
  const progress = Math.min(1, Math.max(0, (update - warmupSteps) / decaySteps));
  if (spec.schedule === 'linear') return learningRate * (1 - progress);
  return learningRate * 0.5 * (1 + Math.cos(Math.PI * progress));
}

/**
 * Learning rate of one supervised update: the rate the caller passed (the SFT warm-up's schedule),
 * else `supervisedLearningRate`. Every backend's `Optimizer.supervisedStep` calls this.
 */
export function supervisedLearningRate(spec: Pick<OptimizationSpec, 'supervisedLearningRate'>, requested?: number): number {
  if (requested === undefined) return spec.supervisedLearningRate;
  if (!Number.isFinite(requested) || requested < 0) {
    throw new BackendError(`supervisedStep: learningRate must be a finite number ≥ 0, got ${requested}`, {
      hint: 'pass the rate of this update (e.g. learningRateAt of the warm-up schedule), or leave it out to use training.sft.learningRate',
    });
  }
  return requested;
}
