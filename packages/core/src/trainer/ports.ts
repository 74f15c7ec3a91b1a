/**
 * The trainer's view of checkpoint storage and the dataset recorder: narrow interfaces so the loop
 * can be tested with in-memory doubles and the runner plugs in the on-disk implementations.
 */

import type { SaveCheckpointRequest } from '../checkpoint/checkpointer.js';
import type { DatasetRowInput, DatasetSplit } from '../dataset/row.js';

/** Where scored samples are recorded (DatasetRecorder). */
export interface DatasetPort {
  append(split: DatasetSplit, rows: readonly DatasetRowInput[]): Promise<unknown>;
  flush(): Promise<unknown>;
  /** Relative path → durable byte length. */
  durableFiles(): Readonly<Record<string, number>>;
}

export interface CheckpointPort {
  /** Saves atomically (CheckpointManager.save); resolves to where it was written. */
  save(request: SaveCheckpointRequest): Promise<{ readonly path: string }>;
}

/** Where health-check lines go (`logs/health.jsonl`). */
export interface HealthLogPort {
  append(record: Readonly<Record<string, unknown>>): Promise<void>;
  durableFiles(): Readonly<Record<string, number>>;
  flush(): Promise<void>;
}
