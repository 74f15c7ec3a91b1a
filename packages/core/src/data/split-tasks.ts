import type { Task } from '../contracts/task.js';
import { RlaifError } from '../errors/rlaif-error.js';
import { Random } from '../util/random.js';

/** A train/eval partition of one task list; each side keeps the file order. */
export interface TaskSplit {
  readonly train: Task[];
  readonly eval: Task[];
}

/**
 * Holds out round(n × evalFraction) tasks for evaluation, chosen by `seed`; at least one when the
 * fraction is > 0 and there are ≥ 2 tasks, and never all of them (training needs one).
 */
export function splitTasks(tasks: readonly Task[], evalFraction: number, seed: number): TaskSplit {
  if (!Number.isFinite(evalFraction) || evalFraction < 0 || evalFraction >= 1) {
    throw new RlaifError(`eval fraction must be in [0, 1), got ${evalFraction}`, {
      hint: 'set data.evalSplit to the share of tasks held out for evaluation, e.g. 0.1, or 0 to train on all',
    });
  }
  const n = tasks.length;
  let evalCount = Math.min(Math.round(n * evalFraction), n - 1);
  if (evalFraction > 0 && n >= 2) evalCount = Math.max(evalCount, 1);
  if (evalCount === 0) return { train: [...tasks], eval: [] };

  const order = new Random(seed).fork('train-eval-split').shuffle(Array.from({ length: n }, (_, i) => i));
  const held = new Set(order.slice(0, evalCount));
  const split: TaskSplit = { train: [], eval: [] };
  tasks.forEach((task, index) => (held.has(index) ? split.eval : split.train).push(task));
  return split;
}
