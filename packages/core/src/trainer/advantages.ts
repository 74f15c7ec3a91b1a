import type { AdvantageEstimator } from '../algorithms/advantage-estimator.js';
import type { Rollout } from '../contracts/rollout.js';

/** A rollout selected for the gradient, with its reward and advantage. */
export interface Trainable {
  readonly rollout: Rollout;
  readonly reward: number;
  readonly advantage: number;
}

export interface GroupAdvantagesResult {
  readonly trainable: readonly Trainable[];
  /** Per input group (same order), the advantage of each rollout or `null` if it was left out. */
  readonly advantagesByGroup: readonly (readonly (number | null)[])[];
  /** Groups (with ≥ 2 scored samples) whose rewards were all equal. */
  readonly zeroStdGroups: number;
  /** Groups with ≥ 2 scored samples. */
  readonly comparableGroups: number;
  /** Groups left out because they had too few scored samples or (if asked) zero variance. */
  readonly droppedGroups: number;
}

/**
 * Applies the estimator within each task's group. Unscored samples (`null` reward) are left out
 * before the baseline is computed; groups smaller than the estimator's minimum are dropped.
 */
export function groupAdvantages(
  estimator: AdvantageEstimator,
  rewardsByGroup: readonly (readonly (number | null)[])[],
  rolloutsByGroup: readonly (readonly Rollout[])[],
  options: { readonly dropZeroVarianceGroups: boolean },
): GroupAdvantagesResult {
  const trainable: Trainable[] = [];
  const advantagesByGroup: (number | null)[][] = [];
  let zeroStdGroups = 0;
  let comparableGroups = 0;
  let droppedGroups = 0;
  rewardsByGroup.forEach((rewards, g) => {
    const kept = rewards.flatMap((reward, i) => (reward === null ? [] : [{ reward, i }]));
    const out: (number | null)[] = rewards.map(() => null);
    advantagesByGroup.push(out);
    const allEqual = kept.length >= 2 && kept.every(({ reward }) => Math.abs(reward - kept[0]!.reward) < 1e-12);
    if (kept.length >= 2) comparableGroups++;
    if (allEqual) zeroStdGroups++;
    if (kept.length < estimator.minGroupSize || kept.length === 0 || (allEqual && options.dropZeroVarianceGroups)) {
      droppedGroups++;
      return;
    }
    const advantages = estimator.groupAdvantages(kept.map(({ reward }) => reward));
    kept.forEach(({ reward, i }, k) => {
      out[i] = advantages[k]!;
      trainable.push({ rollout: rolloutsByGroup[g]![i]!, reward, advantage: advantages[k]! });
    });
  });
  return { trainable, advantagesByGroup, zeroStdGroups, comparableGroups, droppedGroups };
}
