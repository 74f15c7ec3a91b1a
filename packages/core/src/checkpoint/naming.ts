/**
 * Checkpoint directory names, as the reference system spells them, so runs from either system
 * sort and read the same. `parseCheckpointName` is the exact inverse of `formatCheckpointName`.
 */

/** What triggered a checkpoint, with the counters its name carries. */
export type CheckpointNameParts =
  /** Every N batches: `checkpoint-e{epoch}-b{batch}-gs{step}`. */
  | { readonly kind: 'batch'; readonly epoch: number; readonly batch: number; readonly globalStep: number }
  /** End of an epoch: `checkpoint-e{epoch}-end-gs{step}`. */
  | { readonly kind: 'epoch-end'; readonly epoch: number; readonly globalStep: number }
  /** Every saveSteps optimizer steps: `checkpoint-gs{step}-e{epoch}-b{batch}`. */
  | { readonly kind: 'steps'; readonly globalStep: number; readonly epoch: number; readonly batch: number }
  /** End of training: `checkpoint-final-gs{step}`. */
  | { readonly kind: 'final'; readonly globalStep: number }
  /** After the SFT warm-up, before RL: `checkpoint-sft-gs{step}` (the "SFT alone" model). */
  | { readonly kind: 'sft'; readonly globalStep: number };

const PATTERNS: readonly [RegExp, (match: RegExpExecArray) => CheckpointNameParts][] = [
  [/^checkpoint-e(\d+)-b(\d+)-gs(\d+)$/, (m) => ({ kind: 'batch', epoch: num(m[1]), batch: num(m[2]), globalStep: num(m[3]) })],
  [/^checkpoint-e(\d+)-end-gs(\d+)$/, (m) => ({ kind: 'epoch-end', epoch: num(m[1]), globalStep: num(m[2]) })],
  [/^checkpoint-gs(\d+)-e(\d+)-b(\d+)$/, (m) => ({ kind: 'steps', globalStep: num(m[1]), epoch: num(m[2]), batch: num(m[3]) })],
  [/^checkpoint-final-gs(\d+)$/, (m) => ({ kind: 'final', globalStep: num(m[1]) })],
  [/^checkpoint-sft-gs(\d+)$/, (m) => ({ kind: 'sft', globalStep: num(m[1]) })],
];

/** The directory name for a checkpoint. */
export function formatCheckpointName(parts: CheckpointNameParts): string {
  switch (parts.kind) {
    case 'batch':
      return `checkpoint-e${parts.epoch}-b${parts.batch}-gs${parts.globalStep}`;
    case 'epoch-end':
      return `checkpoint-e${parts.epoch}-end-gs${parts.globalStep}`;
    case 'steps':
      return `checkpoint-gs${parts.globalStep}-e${parts.epoch}-b${parts.batch}`;
    case 'final':
      return `checkpoint-final-gs${parts.globalStep}`;
    case 'sft':
      return `checkpoint-sft-gs${parts.globalStep}`;
  }
}

/** Reads the counters back from a checkpoint directory name; null for any other name. */
export function parseCheckpointName(name: string): CheckpointNameParts | null {
  for (const [pattern, build] of PATTERNS) {
    const match = pattern.exec(name);
    if (match) return build(match);
  }
  return null;
}

/** True for `checkpoint-final-gs{step}`. */
export function isFinalCheckpointName(name: string): boolean {
  return parseCheckpointName(name)?.kind === 'final';
}

/** Final and post-SFT checkpoints: the models a run is compared by, which retention never deletes. */
export function isKeptCheckpointName(name: string): boolean {
  const kind = parseCheckpointName(name)?.kind;
  return kind === 'final' || kind === 'sft';
}

function num(text: string | undefined): number {
  return Number(text);
}
