/** Scored samples as dataset rows and as the TensorBoard text sample. */
import type { DatasetRowInput } from '../dataset/row.js';
import type { ScoredBatch, ScoredGroup } from './scoring.js';

/**
 * One row per sample of `groups`, in order; `rewards` and each of `rewardsByFunction` are flat in the
 * same order, `advantages` per group (absent in evaluations). Baseline rows have epoch 0.
 */
export function rowsOf(
  groups: readonly ScoredGroup[],
  rewards: readonly (number | null)[],
  advantages: readonly (readonly (number | null)[])[] | undefined,
  position: { readonly epoch: number; readonly batch: number; readonly step: number },
  rewardsByFunction: Readonly<Record<string, readonly (number | null)[]>> = {},
): DatasetRowInput[] {
  const rows: DatasetRowInput[] = [];
  groups.forEach((group, g) =>
    group.rollouts.forEach((rollout, i) => {
      rows.push({
        rollout,
        score: group.scores[i] ?? null,
        unscored: group.reasons[i] ?? null,
        reference: group.reference,
        teacherScore: group.referenceScore?.overall ?? null,
        reward: rewards[rows.length] ?? null,
        rewardsByFunction: Object.fromEntries(Object.entries(rewardsByFunction).map(([name, values]) => [name, values[rows.length] ?? null])),
        advantage: advantages?.[g]?.[i] ?? null,
        ...position,
      });
    }),
  );
  return rows;
}

/** The first group's samples with score and reward, as markdown (`Samples/Completions`). */
export function sampleText(scored: ScoredBatch, rewards: readonly (number | null)[]): string {
  const group = scored.groups[0];
  if (!group) return '';
  return group.rollouts
    .map((rollout, i) => {
      const score = group.scores[i];
      return `**task** ${rollout.task.id} · **sample** ${i} · **score** ${score ? score.overall.toFixed(3) : 'unscored'} · **reward** ${rewards[i]?.toFixed(3) ?? 'n/a'}\n\n\`\`\`\n${rollout.text.slice(0, 2000)}\n\`\`\``;
    })
    .join('\n\n---\n\n');
}
