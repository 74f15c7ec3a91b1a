/**
 * What the model and dataset cards say about a run, read from its directory: the config recorded
 * in run.json, summary.json, validation_report.json, the per-batch rewards and the dataset rows'
 * languages. Missing files leave their facts empty; a card never fails for want of one.
 */
import path from 'node:path';
import { DATASETS_DIR } from '../dataset/recorder.js';
import { DATASET_SPLITS, type DatasetSplit } from '../dataset/row.js';
import { forEachJsonLine, readJsonObject } from '../report/read-json-lines.js';
import { RUN_FILES } from '../report/run-data.js';
import { loadSummaryRows, metricSeries } from '../report/summary-rows.js';

type Json = Readonly<Record<string, unknown>>;

/** A run's facts for its cards. */
export interface RunFacts {
  readonly runDir: string;
  /** Where the run's dataset files are (the run's `training.datasetsDir` when it records one, else `datasets/`). */
  readonly datasetsDir: string;
  /** The validated config as recorded in run.json (plugins reduced to their names). */
  readonly config: Json;
  /** The teacher's name and the reward functions with weights, as the run resolved them. */
  readonly teacher: string | undefined;
  readonly rewards: string | undefined;
  readonly summary: Json | undefined;
  readonly validation: Json | undefined;
  /** `(global step, mean reward)` of every batch. */
  readonly rewardCurve: readonly (readonly [number, number])[];
  /** Per split: rows, and rows per language. */
  readonly splits: Readonly<Record<DatasetSplit, { readonly rows: number; readonly languages: Readonly<Record<string, number>> }>>;
}

/** Reads a run directory's facts. */
export async function readRunFacts(runDir: string): Promise<RunFacts> {
  const run = (await readJsonObject(path.join(runDir, RUN_FILES.run))).value;
  const summary = (await readJsonObject(path.join(runDir, RUN_FILES.summary))).value;
  const validation = (await readJsonObject(path.join(runDir, 'validation_report.json'))).value;
  const batches = await loadSummaryRows(path.join(runDir, RUN_FILES.summaries), 'batch');
  const config = objectAt(run, 'config') ?? {};
  const datasetsDir = datasetsDirOf(runDir, config);
  const splits = {} as Record<DatasetSplit, { rows: number; languages: Record<string, number> }>;
  for (const split of DATASET_SPLITS) {
    const entry = { rows: 0, languages: {} as Record<string, number> };
    await forEachJsonLine(path.join(datasetsDir, `${split}.jsonl`), (row) => {
      entry.rows += 1;
      const language = typeof row['language'] === 'string' ? row['language'] : 'unknown';
      entry.languages[language] = (entry.languages[language] ?? 0) + 1;
    });
    splits[split] = entry;
  }
  return {
    runDir,
    datasetsDir,
    config,
    teacher: typeof run?.['teacher'] === 'string' ? run['teacher'] : pluginName(config['teacher']),
    rewards: typeof run?.['rewards'] === 'string' ? run['rewards'] : rewardsText(config),
    summary,
    validation,
    rewardCurve: metricSeries(batches.rows, 'Train/AvgReward'),
    splits,
  };
}

/** The datasets folder of a run: a `datasetsDir` its recorded config names (relative to the run), else `datasets/`. */
function datasetsDirOf(runDir: string, config: Json): string {
  const named = objectAt(config, 'training')?.['datasetsDir'];
  return path.resolve(runDir, typeof named === 'string' && named ? named : DATASETS_DIR);
}

/** `value[key]` when it is an object. */
export function objectAt(value: Json | undefined, key: string): Json | undefined {
  const inner = value?.[key];
  return inner && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Json) : undefined;
}

/** A plugin as run.json records it (a package name, `{ use }`, or `{ kind, name }`) as one name. */
export function pluginName(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const record = value as Json;
    if (typeof record['name'] === 'string') return record['name'];
    if (typeof record['use'] === 'string') return record['use'];
  }
  return undefined;
}

/** The reward functions with their weights, e.g. `ratio×1 + pass_rate×0.5`. */
export function rewardsText(config: Json): string | undefined {
  const rewards = config['rewards'];
  if (!Array.isArray(rewards) || rewards.length === 0) return undefined;
  return rewards
    .map((entry: unknown) => {
      const item = entry && typeof entry === 'object' && 'fn' in entry ? (entry as Json) : { fn: entry };
      const weight = typeof item['weight'] === 'number' ? item['weight'] : 1;
      return `${pluginName(item['fn']) ?? 'custom'}×${weight}`;
    })
    .join(' + ');
}
