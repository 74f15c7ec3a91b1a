/**
 * An advantage estimator turns the rewards of one task's group of samples into one advantage per
 * sample. The optimizer multiplies every completion token's log-probability by it.
 */
export interface AdvantageEstimator {
  /** Config name (`rlaif.advantage`). */
  readonly name: string;
  /** Smallest group size the estimator is defined for. */
  readonly minGroupSize: number;
  /** `rewards` are the scored samples of one group (unscored ones already removed); same-length output. */
  groupAdvantages(rewards: readonly number[]): number[];
}

/** Mean of a non-empty list. */
export function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

/** Sample standard deviation (n − 1 in the denominator); 0 for fewer than two values. */
export function sampleStd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  let squares = 0;
  for (const value of values) squares += (value - m) ** 2;
  return Math.sqrt(squares / (values.length - 1));
}
