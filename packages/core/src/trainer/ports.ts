/**
 * The trainer's view of checkpoint storage and the dataset recorder: narrow interfaces so the loop
 * can be tested with in-memory doubles and the runner plugs in the on-disk implementations.
 */

export type DatasetSplit = 'train' | 'validation' | 'evaluation';

/** One rollout as a dataset row; the recorder adds the stable row id. */
export interface DatasetRowInput {
  readonly split: DatasetSplit;
  readonly phase: string;
  readonly epoch: number;
  readonly batch: number;
  readonly step: number;
  readonly taskId: string;
  readonly sampleIndex: number;
  readonly language: string;
  readonly prompt: string;
  readonly completion: string;
  readonly code: string;
  readonly reference: string;
  readonly score: number | null;
  readonly breakdown: Readonly<Record<string, number>> | null;
  readonly teacherScore: number | null;
  readonly reward: number | null;
  readonly advantage: number | null;
  readonly evidence: string;
  readonly policyVersion: number;
  readonly completionTokens: number;
  readonly finishReason: string;
}

export interface DatasetPort {
  append(rows: readonly DatasetRowInput[]): Promise<void>;
  flush(): Promise<void>;
  /** Relative path → durable byte length. */
  durableFiles(): Readonly<Record<string, number>>;
  close(): Promise<void>;
}

export interface CheckpointRequest {
  readonly name: string;
  readonly epoch: number;
  readonly batch: number;
  readonly globalStep: number;
  readonly trainerState: unknown;
  readonly trainingStats: Readonly<Record<string, unknown>>;
  readonly summary: Readonly<Record<string, unknown>>;
  readonly writeModelState: (dir: string) => Promise<void>;
  readonly appendOnlyFiles: Readonly<Record<string, number>>;
}

export interface CheckpointPort {
  /** Saves atomically; resolves to the checkpoint directory. */
  save(request: CheckpointRequest): Promise<string>;
}

/** Where health-check lines go (`logs/health.jsonl`). */
export interface HealthLogPort {
  append(record: Readonly<Record<string, unknown>>): Promise<void>;
  durableFiles(): Readonly<Record<string, number>>;
  flush(): Promise<void>;
}
