/**
 * The held-out evaluations of a run with their uncertainty, computed once for every place that shows
 * them (the run's console summary, report.html, the quickstart's results table): each evaluation's
 * mean reward and pass rate with a 95 % bootstrap interval over tasks, and each later evaluation's
 * gain over the reference (after SFT when there is one, else before training), paired per task.
 * A gain is "beyond doubt" when it is several times its interval's half-width.
 */
import { bootstrapMean, type Interval } from './bootstrap.js';

/** One task's scores in one evaluation; undefined when nothing of it was scored. */
export interface TaskScores {
  readonly reward: number | undefined;
  readonly passRate: number | undefined;
}

/** One held-out evaluation, as recorded in `summary.json` (`evaluations[]`). */
export interface HeldOutEvaluation {
  readonly phase: string;
  /** Mean over all the evaluation's samples (the headline number). */
  readonly meanReward: number | undefined;
  readonly passRate: number | undefined;
  /** Per task id; empty for runs that recorded no per-task results (then there are no intervals). */
  readonly perTask: ReadonlyMap<string, TaskScores>;
}

/** A point estimate with its 95 % interval; the interval is absent with fewer than two tasks. */
export interface Estimate {
  readonly value: number;
  readonly interval: Interval | undefined;
}

/** What one evaluation row shows. */
export interface HeldOutRow {
  readonly reward: Estimate | undefined;
  readonly passRate: Estimate | undefined;
  /** Gain over the reference evaluation, paired per task; undefined for the reference and rows before it. */
  readonly rewardGain: Estimate | undefined;
  readonly passRateGain: Estimate | undefined;
}

export interface HeldOutIntervals {
  /** The phase gains are measured against: `sft` when the run has one, else `before`; undefined if neither. */
  readonly reference: string | undefined;
  /** One per evaluation, in order. */
  readonly rows: readonly HeldOutRow[];
}

type Measure = keyof TaskScores;

function taskValues(evaluation: HeldOutEvaluation, measure: Measure): number[] {
  return [...evaluation.perTask.values()].map((task) => task[measure]).filter((value): value is number => value !== undefined);
}

/** Per-task differences `later − earlier` over the tasks both scored. */
function pairedDifferences(later: HeldOutEvaluation, earlier: HeldOutEvaluation, measure: Measure): number[] {
  const differences: number[] = [];
  for (const [taskId, task] of later.perTask) {
    const before = earlier.perTask.get(taskId)?.[measure];
    const after = task[measure];
    if (before !== undefined && after !== undefined) differences.push(after - before);
  }
  return differences;
}

const headline = (evaluation: HeldOutEvaluation, measure: Measure) => (measure === 'reward' ? evaluation.meanReward : evaluation.passRate);

// Fixed seeds per row and measure: a summary, a report and a results table of the same run agree.
const SEEDS: Readonly<Record<Measure, number>> = { reward: 1, passRate: 101 };
const GAIN_SEED = 7;

/** Intervals and paired gains of a run's held-out evaluations. */
export function heldOutIntervals(evaluations: readonly HeldOutEvaluation[]): HeldOutIntervals {
  const referenceIndex = [evaluations.findIndex((e) => e.phase === 'sft'), evaluations.findIndex((e) => e.phase === 'before')].find((i) => i >= 0) ?? -1;
  const reference = evaluations[referenceIndex];
  const rows = evaluations.map((evaluation, i): HeldOutRow => {
    const estimate = (measure: Measure): Estimate | undefined => {
      const value = headline(evaluation, measure);
      return value === undefined ? undefined : { value, interval: bootstrapMean(taskValues(evaluation, measure), SEEDS[measure] + i) };
    };
    const gain = (measure: Measure): Estimate | undefined => {
      if (!reference || i <= referenceIndex) return undefined;
      const later = headline(evaluation, measure);
      const earlier = headline(reference, measure);
      if (later === undefined || earlier === undefined) return undefined;
      return { value: later - earlier, interval: bootstrapMean(pairedDifferences(evaluation, reference, measure), GAIN_SEED + i) };
    };
    return { reward: estimate('reward'), passRate: estimate('passRate'), rewardGain: gain('reward'), passRateGain: gain('passRate') };
  });
  return { reference: reference?.phase, rows };
}

/** A gain in units of its interval's half-width (the "3×" criterion); undefined without an interval. */
export function gainOverHalfWidth(gain: Estimate | undefined): number | undefined {
  if (!gain?.interval) return undefined;
  const halfWidth = (gain.interval.high - gain.interval.low) / 2;
  return halfWidth > 0 ? gain.value / halfWidth : undefined;
}

/** `summary.json`'s `evaluations[].perTask` array (null = nothing scored) as the map the intervals read. */
export function perTaskScores(perTask: readonly { readonly taskId: string; readonly reward: number | null; readonly passRate: number | null }[] | undefined): Map<string, TaskScores> {
  return new Map((perTask ?? []).map((task) => [task.taskId, { reward: task.reward ?? undefined, passRate: task.passRate ?? undefined }]));
}
