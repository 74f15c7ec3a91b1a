import type { DatasetSplit } from './row.js';
import { DATASET_SPLITS } from './row.js';
import { CRITERIA } from '../contracts/score.js';

/** What the card says about how the data was produced; every field is optional. */
export interface DatasetCardInfo {
  /** Dataset title; defaults to "rlaif code dataset". */
  readonly title?: string;
  /** The student model (name or path). */
  readonly model?: string;
  /** The teacher (provider and model). */
  readonly teacher?: string;
  /** SPDX licence id for the front matter; defaults to "other". */
  readonly license?: string;
  /** Free text appended to the "How it was produced" section. */
  readonly notes?: string;
  /** The reward functions with their weights, e.g. `ratio×1`. */
  readonly rewards?: string;
  /** How the teacher scored (its rubric). */
  readonly rubric?: string;
  /** The advantage estimator, e.g. `grpo`. */
  readonly algorithm?: string;
  /** Rows per language in each split (the language mix). */
  readonly languages?: Readonly<Partial<Record<DatasetSplit, Readonly<Record<string, number>>>>>;
}

/** How a field is typed for `datasets` (declared in the card, so a column null in one file and set in another still loads). */
type Feature = 'string' | 'int64' | 'float64' | 'breakdown' | 'scoring_breakdown' | 'json';

const FIELDS: readonly [string, string, string, Feature][] = [
  ['id', 'string', 'stable unique id: `<split>-e<epoch>-b<batch>-s<sample>-<task id>`', 'string'],
  ['prompt', 'string', 'the instruction given to the student', 'string'],
  ['language', 'string', '`python`, `cpp` or `rust`', 'string'],
  ['task_id', 'string', 'id of the task in the prompt file', 'string'],
  ['sample_index', 'int', 'index of the sample within its task group', 'int64'],
  ['completion', 'string', "the student's full completion", 'string'],
  ['code', 'string', 'code extracted from the completion', 'string'],
  ['reference', 'string | null', 'reference (teacher) solution', 'string'],
  ['reference_source', 'string | null', '`task` (from the prompt file) or `teacher` (written by the teacher)', 'string'],
  ['score', 'float | null', "teacher's overall score of the student's code, 0–1", 'float64'],
  ['breakdown', 'object | null', 'correctness, quality, efficiency, documentation, each 0–1', 'breakdown'],
  ['teacher_score', 'float | null', "teacher's score of the reference solution, 0–1", 'float64'],
  ['reward', 'float | null', 'reward used for training', 'float64'],
  ['reward_functions', 'object', "each reward function's value by name, before weighting (null = not applicable)", 'json'],
  ['advantage', 'float | null', 'advantage applied to the sample (null for evaluation rows)', 'float64'],
  ['evidence', 'string | null', "the teacher's justification: failing tests, compiler errors, rationale", 'string'],
  ['unscored', 'string | null', 'why the sample has no score (null when it has one)', 'string'],
  ['epoch', 'int', 'training epoch', 'int64'],
  ['batch', 'int', 'batch index within the epoch', 'int64'],
  ['step', 'int', 'optimizer steps taken when the sample was recorded', 'int64'],
  ['policy_version', 'int', 'optimizer step of the policy that generated the sample (0 = base model)', 'int64'],
  ['tokens', 'int', 'completion tokens', 'int64'],
  ['prompt_tokens', 'int', 'prompt tokens after the chat template', 'int64'],
  ['finish_reason', 'string', '`eos`, `stop` or `length`', 'string'],
  ['task_extra', 'object', 'extra fields of the task line (a JSON string once loaded with `datasets`)', 'json'],
  ['phase', 'string | null', 'evaluation phase of a validation/evaluation row (null for training rows)', 'string'],
  ['timestamp', 'string', 'when the row was recorded (ISO 8601)', 'string'],
  ['student_code', 'string', '= `code`, under the reference system’s name', 'string'],
  ['teacher_code', 'string | null', '= `reference`, under the reference system’s name', 'string'],
  ['student_score', 'float | null', '= `score`, under the reference system’s name', 'float64'],
  ['scoring_breakdown', 'object | null', '= `breakdown` as correctness, code_quality, efficiency, documentation (the reference system’s names)', 'scoring_breakdown'],
];

/** The row fields the card documents and declares to `datasets`, in order; they must be exactly a row's keys. */
export const DATASET_CARD_FIELDS: readonly string[] = FIELDS.map(([name]) => name);

/** Renders `datasets/README.md`: YAML front matter (one data file per split with rows), field table, counts. */
export function renderDatasetCard(counts: Readonly<Record<DatasetSplit, number>>, info: DatasetCardInfo = {}): string {
  const withRows = DATASET_SPLITS.filter((split) => counts[split] > 0);
  const total = DATASET_SPLITS.reduce((sum, split) => sum + counts[split], 0);
  const frontMatter = [
    '---',
    `license: ${yamlScalar(info.license ?? 'other')}`,
    'task_categories:',
    '- text-generation',
    'tags:',
    '- code',
    '- rlaif',
    '- reinforcement-learning',
    `size_categories:`,
    `- ${sizeCategory(total)}`,
    ...(withRows.length === 0
      ? []
      : [
          'configs:',
          '- config_name: default',
          '  data_files:',
          ...withRows.flatMap((split) => [`  - split: ${split}`, `    path: ${split}.jsonl`]),
          '  features:',
          ...FIELDS.flatMap(([name, , , feature]) => featureYaml(name, feature)),
        ]),
    '---',
  ];
  const produced = [
    'Each row is one completion sampled from the student model during an rlaif run, scored by the teacher',
    'against a reference solution. `train` rows were trained on; `validation` and `evaluation` rows come from',
    'held-out prompts and were not. Rows are written once each, also across interrupted and resumed runs.',
  ];
  const body = [
    `# ${info.title ?? 'rlaif code dataset'}`,
    '',
    '## How it was produced',
    '',
    ...produced,
    '',
    ...(info.model ? [`- Student model: ${info.model}`] : []),
    ...(info.teacher ? [`- Teacher: ${info.teacher}`] : []),
    ...(info.rubric ? [`- Rubric: ${info.rubric}`] : []),
    ...(info.rewards ? [`- Reward: ${info.rewards}`] : []),
    ...(info.algorithm ? [`- Algorithm (advantage estimator): ${info.algorithm}`] : []),
    ...(info.model || info.teacher || info.rubric || info.rewards || info.algorithm ? [''] : []),
    ...(info.notes ? [info.notes, ''] : []),
    '## Splits',
    '',
    '| split | file | rows |',
    '| --- | --- | ---: |',
    ...DATASET_SPLITS.map((split) => `| ${split} | ${split}.jsonl | ${counts[split]} |`),
    '',
    ...languageMix(info.languages),
    '## Fields',
    '',
    '| field | type | meaning |',
    '| --- | --- | --- |',
    ...FIELDS.map(([name, type, meaning]) => `| \`${name}\` | ${type} | ${meaning} |`),
    '',
    "The reference system's (`train_coding_asst`) fields are here under its own names: `prompt`, `language`, `student_code`, `teacher_code`, `student_score`, `teacher_score`, `reward`, `scoring_breakdown`, `timestamp`.",
    '',
  ];
  return [...frontMatter, '', ...body].join('\n');
}

/** One field of the `features` list in the card's `configs` (the YAML form `datasets` reads). */
function featureYaml(name: string, feature: Feature): string[] {
  if (feature === 'breakdown' || feature === 'scoring_breakdown') {
    // The reference system calls the quality criterion code_quality.
    const names = CRITERIA.map((criterion) => (feature === 'scoring_breakdown' && criterion === 'quality' ? 'code_quality' : criterion));
    return [`  - name: ${name}`, '    struct:', ...names.flatMap((criterion) => [`    - name: ${criterion}`, '      dtype: float64'])];
  }
  // An object of free keys loads as its JSON text: `datasets` turns a struct column declared string into JSON.
  return [`  - name: ${name}`, `    dtype: ${feature === 'json' ? 'string' : feature}`];
}

/** The language mix as a table: one row per language, one column per split. */
function languageMix(languages: DatasetCardInfo['languages']): string[] {
  if (!languages) return [];
  const names = [...new Set(DATASET_SPLITS.flatMap((split) => Object.keys(languages[split] ?? {})))].sort();
  if (names.length === 0) return [];
  return [
    '### Languages',
    '',
    `| language | ${DATASET_SPLITS.join(' | ')} |`,
    `| --- |${DATASET_SPLITS.map(() => ' ---: |').join('')}`,
    ...names.map((name) => `| ${name} | ${DATASET_SPLITS.map((split) => languages[split]?.[name] ?? 0).join(' | ')} |`),
    '',
  ];
}

function sizeCategory(rows: number): string {
  if (rows < 1_000) return 'n<1K';
  if (rows < 10_000) return '1K<n<10K';
  if (rows < 100_000) return '10K<n<100K';
  if (rows < 1_000_000) return '100K<n<1M';
  return '1M<n<10M';
}

// Licence ids are plain words; anything else is quoted so the front matter stays valid YAML.
function yamlScalar(value: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9.+-]*$/.test(value) ? value : JSON.stringify(value);
}
