import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { DataError } from '../errors/rlaif-error.js';
import { AppendOnlyFile } from '../io/append-only-file.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { DatasetCardInfo } from './card.js';
import { renderDatasetCard } from './card.js';
import type { DatasetRow, DatasetRowInput, DatasetSplit } from './row.js';
import { DATASET_SPLITS, buildDatasetRow } from './row.js';

/** Run-relative folder of the dataset files and card. */
export const DATASETS_DIR = 'datasets';

/** Run-relative path of a split's file, e.g. `datasets/train.jsonl` (the key used in manifests); `dir` is `training.datasetsDir`. */
export function datasetFileOf(split: DatasetSplit, dir: string = DATASETS_DIR): string {
  return posix.join(posix.normalize(dir.replace(/\\/g, '/')), `${split}.jsonl`);
}

/** The files a DatasetRecorder with `dir` appends to. */
export function datasetFilesIn(dir: string): string[] {
  return DATASET_SPLITS.map((split) => datasetFileOf(split, dir));
}

/** Every file a DatasetRecorder appends to; pass it to `prepareResume` as `knownAppendOnlyFiles`. */
export const DATASET_FILES: readonly string[] = DATASET_SPLITS.map((split) => datasetFileOf(split));

/** Options of `DatasetRecorder.open`. */
export interface DatasetRecorderOptions {
  /** Clock for row timestamps (tests pin it). */
  readonly now?: () => Date;
  /** Run-relative folder of the files (`training.datasetsDir`); default `datasets`. */
  readonly dir?: string;
}

interface SplitFile {
  readonly file: AppendOnlyFile;
  /** Row id → 1-based line, for the duplicate check. */
  readonly lineOfId: Map<string, number>;
  /** Rows in the file. */
  rows: number;
}

/**
 * Appends scored samples to `datasets/{train,validation,evaluation}.jsonl`. Row ids are derived from
 * (split, epoch, batch, sample, task), and ids already in the files are loaded on open, so a resumed
 * run that replays a batch cannot write a row twice. Open it after `prepareResume`.
 */
export class DatasetRecorder {
  /** The run directory. */
  readonly runDir: string;
  private readonly splits: ReadonlyMap<DatasetSplit, SplitFile>;
  private readonly now: () => Date;
  /** Run-relative folder of the files. */
  readonly dir: string;

  private constructor(runDir: string, splits: ReadonlyMap<DatasetSplit, SplitFile>, now: () => Date, dir: string) {
    this.runDir = runDir;
    this.splits = splits;
    this.now = now;
    this.dir = dir;
  }

  /** Opens (creating when missing) the three split files and indexes the rows they hold. */
  static async open(runDir: string, options: DatasetRecorderOptions = {}): Promise<DatasetRecorder> {
    const splits = new Map<DatasetSplit, SplitFile>();
    try {
      for (const split of DATASET_SPLITS) {
        const path = join(runDir, datasetFileOf(split, options.dir));
        const { lineOfId, rows } = await indexExistingRows(path);
        splits.set(split, { file: await AppendOnlyFile.open(path), lineOfId, rows });
      }
    } catch (error) {
      await Promise.all([...splits.values()].map((entry) => entry.file.close()));
      throw error;
    }
    return new DatasetRecorder(runDir, splits, options.now ?? (() => new Date()), options.dir ?? DATASETS_DIR);
  }

  /**
   * Appends one row per input to `split` in one write and returns the rows. Throws a DataError
   * (writing nothing) when a row id is already recorded; call `flush()` to make rows durable.
   */
  async append(split: DatasetSplit, inputs: readonly DatasetRowInput[]): Promise<DatasetRow[]> {
    const entry = this.splitFile(split);
    const { file, lineOfId } = entry;
    const timestamp = this.now().toISOString();
    const rows = inputs.map((input) => buildDatasetRow(split, input, timestamp));
    const pending = new Map<string, number>();
    rows.forEach((row, index) => {
      const line = entry.rows + index + 1;
      const first = lineOfId.get(row.id) ?? pending.get(row.id);
      if (first !== undefined) {
        throw new DataError(`dataset row ${JSON.stringify(row.id)} was already recorded on line ${first}`, file.path, line, {
          hint: 'the trainer replayed a batch without rewinding; resume through prepareResume so the files are truncated to the checkpoint',
        });
      }
      pending.set(row.id, line);
    });
    if (rows.length === 0) return rows;
    // Registered before the write so concurrent appends see each other's ids and line numbers.
    for (const [id, line] of pending) lineOfId.set(id, line);
    entry.rows += rows.length;
    try {
      await file.append(rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
    } catch (error) {
      for (const id of pending.keys()) lineOfId.delete(id);
      entry.rows -= rows.length;
      throw error;
    }
    return rows;
  }

  /** Fsyncs every split file; returns `durableFiles()`. */
  async flush(): Promise<Record<string, number>> {
    await Promise.all([...this.splits.values()].map((entry) => entry.file.flush()));
    return this.durableFiles();
  }

  /** Run-relative path → durable byte length of each split file, for a checkpoint manifest. */
  durableFiles(): Record<string, number> {
    const lengths: Record<string, number> = {};
    for (const [split, entry] of this.splits) lengths[datasetFileOf(split, this.dir)] = entry.file.byteLength;
    return lengths;
  }

  /** Rows per split, including rows written by earlier runs in the same directory. */
  rowCounts(): Record<DatasetSplit, number> {
    return {
      train: this.splitFile('train').rows,
      validation: this.splitFile('validation').rows,
      evaluation: this.splitFile('evaluation').rows,
    };
  }

  /** Writes `datasets/README.md`, a Hugging Face dataset card with the current row counts. */
  async writeCard(info: DatasetCardInfo = {}): Promise<void> {
    await writeFileAtomic(join(this.runDir, this.dir, 'README.md'), renderDatasetCard(this.rowCounts(), info));
  }

  /** Flushes and closes the files. */
  async close(): Promise<void> {
    await Promise.all([...this.splits.values()].map((entry) => entry.file.close()));
  }

  private splitFile(split: DatasetSplit): SplitFile {
    const entry = this.splits.get(split);
    if (!entry) {
      throw new DataError(`unknown dataset split ${JSON.stringify(split)}`, join(this.runDir, this.dir), undefined, {
        hint: `use one of ${DATASET_SPLITS.join(', ')}`,
      });
    }
    return entry;
  }
}

// Reads the ids already in a split file; a torn or invalid line means the run was not rewound.
async function indexExistingRows(path: string): Promise<{ lineOfId: Map<string, number>; rows: number }> {
  const lineOfId = new Map<string, number>();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lineOfId, rows: 0 };
    throw error;
  }
  if (text === '') return { lineOfId, rows: 0 };
  const lines = text.split('\n');
  const hint = 'resume from a checkpoint (prepareResume cuts the file back to its last good row), or move the file away to start fresh';
  if (lines.pop() !== '') {
    throw new DataError('last line is incomplete (the previous run stopped mid-write)', path, lines.length + 1, { hint });
  }
  lines.forEach((line, index) => {
    let id: unknown;
    try {
      id = (JSON.parse(line) as { id?: unknown } | null)?.id;
    } catch (error) {
      throw new DataError(`invalid JSON: ${(error as Error).message}`, path, index + 1, { hint });
    }
    if (typeof id !== 'string') throw new DataError('row has no string "id"', path, index + 1, { hint });
    if (!lineOfId.has(id)) lineOfId.set(id, index + 1);
  });
  return { lineOfId, rows: lines.length };
}
