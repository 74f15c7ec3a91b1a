/** The dataset card's facts from a run: student, teacher, rubric, reward, algorithm and language mix. */
import type { DatasetCardInfo } from '../dataset/card.js';
import { DATASET_SPLITS } from '../dataset/row.js';
import type { RunFacts } from './run-facts.js';
import { objectAt } from './run-facts.js';

const RUBRIC =
  "each sample's overall score in [0, 1] with a four-part breakdown (correctness, quality, efficiency, documentation); executing teachers also run the task's tests";

/** Fills a DatasetCardInfo from what the run recorded. */
export function datasetCardInfoOf(facts: RunFacts): DatasetCardInfo {
  const config = facts.config;
  const model = objectAt(config, 'model');
  const teacher = facts.teacher;
  const rewards = facts.rewards;
  const algorithm = objectAt(config, 'rlaif')?.['advantage'];
  return {
    ...(typeof model?.['name'] === 'string' ? { model: model['name'] } : {}),
    ...(teacher ? { teacher } : {}),
    rubric: RUBRIC,
    ...(rewards ? { rewards } : {}),
    ...(typeof algorithm === 'string' ? { algorithm } : {}),
    languages: Object.fromEntries(DATASET_SPLITS.map((split) => [split, facts.splits[split].languages])),
  };
}
