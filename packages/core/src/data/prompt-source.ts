import type { Task } from '../contracts/task.js';
import { RlaifError } from '../errors/rlaif-error.js';
import { Random } from '../util/random.js';

/** Where the trainer is in the data: the next batch to consume. Saved in checkpoints. */
export interface DataPosition {
  readonly epoch: number;
  readonly batch: number;
}

/** How a PromptSource cuts its tasks into batches. */
export interface PromptSourceOptions {
  /** Tasks per batch; the last batch of an epoch may be smaller. */
  readonly batchSize: number;
  /** Reorder tasks every epoch; when false every epoch keeps the file order. */
  readonly shuffle: boolean;
  /** Seed of the per-epoch order. */
  readonly seed: number;
  /** Serve at most this many batches per epoch (the first ones of its order); default all. */
  readonly maxBatchesPerEpoch?: number;
}

/**
 * Serves batches of tasks by (epoch, batch index). Each epoch's order depends only on (seed, epoch),
 * so a resumed run asks for `batch(e, b)` directly and sees exactly the data of the original run.
 */
export class PromptSource {
  /** The tasks in file order. */
  readonly tasks: readonly Task[];
  /** Tasks per batch. */
  readonly batchSize: number;
  /** Batches in one epoch, counting the last partial one. */
  readonly batchesPerEpoch: number;
  private readonly options: PromptSourceOptions;
  private readonly root: Random;
  private cachedEpoch: number | undefined;
  private cachedOrder: readonly Task[] = [];

  /** Throws when `tasks` is empty or `batchSize` is not a positive integer. */
  constructor(tasks: readonly Task[], options: PromptSourceOptions) {
    if (tasks.length === 0) {
      throw new RlaifError('PromptSource needs at least one task', {
        hint: 'check data.trainFile: it must hold at least one task after the train/eval split',
      });
    }
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
      throw new RlaifError(`batch size must be a positive integer, got ${options.batchSize}`, {
        hint: 'set training.batchSize to 1 or more',
      });
    }
    this.tasks = [...tasks];
    this.batchSize = options.batchSize;
    this.batchesPerEpoch = Math.min(Math.ceil(tasks.length / options.batchSize), options.maxBatchesPerEpoch ?? Number.POSITIVE_INFINITY);
    this.options = options;
    this.root = new Random(options.seed);
  }

  /** The tasks of batch `index` (0-based) in `epoch`; the same arguments always give the same tasks. */
  batch(epoch: number, index: number): Task[] {
    if (!Number.isInteger(index) || index < 0 || index >= this.batchesPerEpoch) {
      throw new RlaifError(`batch index ${index} is out of range 0..${this.batchesPerEpoch - 1}`, {
        hint: 'the checkpoint was saved with a different data file or batch size; resume with the original data settings',
      });
    }
    const order = this.epochOrder(epoch);
    return order.slice(index * this.batchSize, (index + 1) * this.batchSize);
  }

  /** The position after `position`: the next batch, rolling over into the next epoch. */
  advance(position: DataPosition): DataPosition {
    return position.batch + 1 < this.batchesPerEpoch
      ? { epoch: position.epoch, batch: position.batch + 1 }
      : { epoch: position.epoch + 1, batch: 0 };
  }

  /** All tasks of `epoch` in the order its batches serve them. */
  epochOrder(epoch: number): readonly Task[] {
    if (!Number.isSafeInteger(epoch) || epoch < 0) {
      throw new RlaifError(`epoch must be a non-negative integer, got ${epoch}`, {
        hint: 'pass the epoch counter from the trainer state',
      });
    }
    if (this.cachedEpoch !== epoch) {
      this.cachedOrder = this.options.shuffle ? this.root.fork(`epoch-${epoch}`).shuffle([...this.tasks]) : this.tasks;
      this.cachedEpoch = epoch;
    }
    return this.cachedOrder;
  }
}
