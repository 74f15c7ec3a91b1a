/** A dataset row (`datasets/train.jsonl`) reduced to what the report shows; field names are read tolerantly. */
export interface SampleRow {
  readonly id: string;
  readonly epoch: number | undefined;
  readonly batch: number | undefined;
  readonly step: number | undefined;
  readonly taskId: string;
  readonly language: string;
  readonly prompt: string;
  readonly completion: string;
  readonly score: number | undefined;
  readonly reward: number | undefined;
  readonly teacherScore: number | undefined;
  readonly breakdown: Readonly<Record<string, number>>;
  readonly evidence: string;
}

/** The samples a report shows: highest and lowest scored, and the most recent. */
export interface SampleSelection {
  readonly best: readonly SampleRow[];
  readonly worst: readonly SampleRow[];
  readonly latest: readonly SampleRow[];
  /** Rows seen in total. */
  readonly total: number;
}

/** Normalises one dataset row; accepts snake_case and camelCase field names. */
export function toSampleRow(row: Readonly<Record<string, unknown>>, line: number): SampleRow {
  const text = (...keys: string[]) => {
    for (const key of keys) if (typeof row[key] === 'string') return row[key];
    return '';
  };
  const number = (...keys: string[]) => {
    for (const key of keys) {
      const value = row[key];
      if (typeof value === 'number' && Number.isFinite(value)) return value;
    }
    return undefined;
  };
  const breakdown: Record<string, number> = {};
  if (typeof row.breakdown === 'object' && row.breakdown !== null) {
    for (const [name, value] of Object.entries(row.breakdown)) if (typeof value === 'number' && Number.isFinite(value)) breakdown[name] = value;
  }
  const id = row.id;
  return {
    id: typeof id === 'string' || typeof id === 'number' ? String(id) : `line ${line}`,
    epoch: number('epoch'),
    batch: number('batch'),
    step: number('step'),
    taskId: text('task_id', 'taskId'),
    language: text('language'),
    prompt: text('prompt'),
    completion: text('completion', 'code'),
    score: number('score'),
    reward: number('reward'),
    teacherScore: number('teacher_score', 'teacherScore'),
    breakdown,
    evidence: text('evidence'),
  };
}

/**
 * Keeps the top, bottom and latest `count` rows while rows stream past, so a large dataset never
 * sits in memory. Rows are ranked by score, or by reward when they have no score.
 */
export class SamplePicker {
  private readonly best: SampleRow[] = [];
  private readonly worst: SampleRow[] = [];
  private readonly latest: SampleRow[] = [];
  private total = 0;

  constructor(private readonly count: number) {}

  /** Considers one row. */
  add(row: SampleRow): void {
    this.total += 1;
    this.latest.push(row);
    if (this.latest.length > this.count) this.latest.shift();
    const rank = rankOf(row);
    if (rank === undefined) return;
    insertRanked(this.best, row, (a, b) => rankOf(b)! - rankOf(a)!, this.count);
    insertRanked(this.worst, row, (a, b) => rankOf(a)! - rankOf(b)!, this.count);
  }

  /** The current selection; latest comes newest first. */
  result(): SampleSelection {
    return { best: [...this.best], worst: [...this.worst], latest: [...this.latest].reverse(), total: this.total };
  }
}

function rankOf(row: SampleRow): number | undefined {
  return row.score ?? row.reward;
}

function insertRanked(list: SampleRow[], row: SampleRow, compare: (a: SampleRow, b: SampleRow) => number, limit: number): void {
  // Ties keep the earlier row: the new one goes after equals.
  let at = list.length;
  while (at > 0 && compare(row, list[at - 1]!) < 0) at -= 1;
  if (at >= limit) return;
  list.splice(at, 0, row);
  if (list.length > limit) list.pop();
}
