/** A sampling seed that depends only on (seed, epoch, batch): a resumed run and `rlaif validate` reproduce it. */
export function batchSeed(seed: number, epoch: number, batch: number): number {
  let h = 0x811c9dc5 ^ (seed | 0);
  for (const value of [epoch, batch]) {
    h = Math.imul(h ^ (value | 0), 0x01000193);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

/** The `epoch` of evaluation seeds: every evaluation of a run, and `rlaif validate`, samples with these. */
export const EVALUATION_SEED_EPOCH = -1;
