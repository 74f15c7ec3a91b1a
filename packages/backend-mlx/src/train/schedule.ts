/** Learning-rate schedules: linear warm-up, then constant, linear decay to 0, or cosine to 0. */
import type { OptimizationSpec } from '@rlaif/core';

type ScheduleSpec = Pick<OptimizationSpec, 'learningRate' | 'schedule' | 'warmupSteps' | 'totalSteps'>;

/** Learning rate of update number `update` (0-based). */
export function learningRateAt(spec: ScheduleSpec, update: number): number {
  const { learningRate, warmupSteps, totalSteps } = spec;
  if (warmupSteps > 0 && update < warmupSteps) return (learningRate * (update + 1)) / warmupSteps;
  if (spec.schedule === 'constant') return learningRate;
  const decaySteps = Math.max(1, totalSteps - warmupSteps);
  const progress = Math.min(1, Math.max(0, (update - warmupSteps) / decaySteps));
  if (spec.schedule === 'linear') return learningRate * (1 - progress);
  return learningRate * 0.5 * (1 + Math.cos(Math.PI * progress));
}
