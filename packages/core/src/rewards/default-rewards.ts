/**
 * The rewards of a config that names none: the reference system's ratio, plus the pass rate when
 * some training tasks have no reference. The ratio needs a reference to compare with, so without
 * one (test-only data such as MBPP or HumanEval, scored by the exec teacher) a run would otherwise
 * get no reward at all; combined rewards average over the functions that apply to each sample.
 */
import type { Task } from '../contracts/task.js';

export interface DefaultRewards {
  readonly rewards: readonly { readonly fn: string; readonly weight: number }[];
  /** Why, for the log line. */
  readonly reason: string;
}

export function defaultRewards(trainTasks: readonly Task[]): DefaultRewards {
  const withoutReference = trainTasks.filter((task) => task.reference === undefined || task.reference.trim() === '').length;
  if (withoutReference === 0) return { rewards: [{ fn: 'ratio', weight: 1 }], reason: 'every training task has a reference' };
  return {
    rewards: [
      { fn: 'ratio', weight: 1 },
      { fn: 'pass_rate', weight: 1 },
    ],
    reason: `${withoutReference} of ${trainTasks.length} training tasks have no reference: pass_rate rewards them by their tests (with an LLM teacher, which writes references, ratio applies)`,
  };
}
