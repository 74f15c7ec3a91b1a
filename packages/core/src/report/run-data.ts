import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { forEachJsonLine, readJsonLines, readJsonObject } from './read-json-lines.js';
import type { JsonLinesStats } from './read-json-lines.js';
import { SamplePicker, toSampleRow } from './sample-picker.js';
import type { SampleSelection } from './sample-picker.js';
import { loadSummaryRows } from './summary-rows.js';
import type { SummaryRow } from './summary-rows.js';

/** Where the trainer writes each file, relative to the run directory. */
export const RUN_FILES = {
  summaries: 'logs/json_summaries',
  health: 'logs/health.jsonl',
  trainDataset: 'datasets/train.jsonl',
  summary: 'summary.json',
  run: 'run.json',
  validation: 'validation_report.json',
} as const;

/** One health-check entry (`logs/health.jsonl`). */
export interface HealthEntry {
  readonly step: number | undefined;
  readonly epoch: number | undefined;
  readonly batch: number | undefined;
  readonly status: string;
  readonly line: string;
  readonly issues: readonly string[];
}

/** Everything a report shows about a run, read tolerantly from a finished or running run directory. */
export interface RunData {
  readonly runDir: string;
  readonly name: string;
  readonly batches: readonly SummaryRow[];
  readonly epochs: readonly SummaryRow[];
  /** One row per step of the SFT warm-up (`sft.jsonl`). */
  readonly sft: readonly SummaryRow[];
  readonly health: readonly HealthEntry[];
  readonly samples: SampleSelection;
  /** `summary.json`, present once the run has finished. */
  readonly summary: Readonly<Record<string, unknown>> | undefined;
  /** `run.json`: config and start time. */
  readonly run: Readonly<Record<string, unknown>> | undefined;
  /** `validation_report.json`: the fine-tuned model against its baseline, task by task. */
  readonly validation: Readonly<Record<string, unknown>> | undefined;
  /** Newest modification time among the files read, for "last update". */
  readonly lastUpdate: Date | undefined;
  /** Things the reader skipped or could not read, one sentence each. */
  readonly warnings: readonly string[];
}

/** Options for `loadRunData`. */
export interface LoadRunDataOptions {
  /** How many best, worst and latest samples to keep. Default 3. */
  readonly samplesPerGroup?: number;
}

/** Reads a run directory; missing files give empty sections, never an error. */
export async function loadRunData(runDir: string, options: LoadRunDataOptions = {}): Promise<RunData> {
  const dir = resolve(runDir);
  const warnings: string[] = [];
  const note = (file: string, stats: JsonLinesStats) => {
    if (stats.malformedLines.length > 0) {
      const lines = stats.malformedLines.slice(0, 5).join(', ');
      warnings.push(`${file}: skipped ${stats.malformedLines.length} malformed line(s) (line ${lines}${stats.malformedLines.length > 5 ? ', …' : ''})`);
    }
    if (stats.tornTail) warnings.push(`${file}: ignored an incomplete last line (the run may still be writing it)`);
  };

  const summariesDir = join(dir, RUN_FILES.summaries);
  const batches = await loadSummaryRows(summariesDir, 'batch');
  note(batches.path, batches.stats);
  const epochs = await loadSummaryRows(summariesDir, 'epoch');
  note(epochs.path, epochs.stats);
  const sft = await loadSummaryRows(summariesDir, 'sft');
  note(sft.path, sft.stats);

  const healthPath = join(dir, RUN_FILES.health);
  const healthRead = await readJsonLines(healthPath);
  note(healthPath, healthRead.stats);

  const picker = new SamplePicker(options.samplesPerGroup ?? 3);
  const datasetPath = join(dir, RUN_FILES.trainDataset);
  note(datasetPath, await forEachJsonLine(datasetPath, (row, line) => picker.add(toSampleRow(row, line))));

  const objectFile = async (relativePath: string) => {
    const { value, error } = await readJsonObject(join(dir, relativePath));
    if (error) warnings.push(`${join(dir, relativePath)}: could not read (${error})`);
    return value;
  };

  return {
    runDir: dir,
    name: basename(dir),
    batches: batches.rows,
    epochs: epochs.rows,
    sft: sft.rows,
    health: healthRead.rows.map(toHealthEntry),
    samples: picker.result(),
    summary: await objectFile(RUN_FILES.summary),
    run: await objectFile(RUN_FILES.run),
    validation: await objectFile(RUN_FILES.validation),
    lastUpdate: await newestModification([batches.path, epochs.path, healthPath, datasetPath, join(dir, RUN_FILES.summary)]),
    warnings,
  };
}

function toHealthEntry(row: Readonly<Record<string, unknown>>): HealthEntry {
  const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
  return {
    step: number(row.step),
    epoch: number(row.epoch),
    batch: number(row.batch),
    status: typeof row.status === 'string' ? row.status : 'UNKNOWN',
    line: typeof row.line === 'string' ? row.line : '',
    issues: Array.isArray(row.issues) ? row.issues.map((issue) => String(issue)) : [],
  };
}

async function newestModification(paths: readonly string[]): Promise<Date | undefined> {
  let newest: Date | undefined;
  for (const path of paths) {
    const modified = await stat(path).then(
      (info) => info.mtime,
      () => undefined,
    );
    if (modified && (!newest || modified > newest)) newest = modified;
  }
  return newest;
}
