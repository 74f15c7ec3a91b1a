/**
 * Packs token sequences into right-padded [B, T] arrays for one forward pass. Each sequence is
 * prompt ++ completion; position t predicts token t+1, and only completion targets carry loss.
 */
import { core as mx } from '@frost-beta/mlx';

import type { ScoredSequence } from '@rlaif/core';

export type { ScoredSequence };

/** Right-padded inputs, next-token targets and a 0/1 mask over completion targets. */
export interface PackedBatch {
  /** [B, T] int32: sequence[0..T-1], padded with 0. */
  readonly inputs: mx.array;
  /** [B, T] int32: sequence[1..T], padded with 0. */
  readonly targets: mx.array;
  /** [B, T] float32: 1 where the target is a completion token. */
  readonly mask: mx.array;
  /** Number of completion tokens per sequence. */
  readonly completionLengths: readonly number[];
  /** Padded length T. */
  readonly length: number;
  /** For each sequence, the column of its first completion target. */
  readonly offsets: readonly number[];
}

/** Packs `sequences`; sequences with an empty prompt or completion are rejected by the caller. */
export function packSequences(sequences: readonly ScoredSequence[]): PackedBatch {
  const length = Math.max(...sequences.map((s) => s.promptTokens.length + s.completionTokens.length - 1));
  const inputs: number[][] = [];
  const targets: number[][] = [];
  const mask: number[][] = [];
  const offsets: number[] = [];
  for (const s of sequences) {
    const all = [...s.promptTokens, ...s.completionTokens];
    const n = all.length - 1;
    const pad = new Array<number>(length - n).fill(0);
    inputs.push([...all.slice(0, n), ...pad]);
    targets.push([...all.slice(1), ...pad]);
    const first = s.promptTokens.length - 1;
    offsets.push(first);
    mask.push(Array.from({ length }, (_, t) => (t >= first && t < n ? 1 : 0)));
  }
  return {
    inputs: mx.array(inputs, mx.int32),
    targets: mx.array(targets, mx.int32),
    mask: mx.array(mask, mx.float32),
    completionLengths: sequences.map((s) => s.completionTokens.length),
    length,
    offsets,
  };
}

/**
 * Scatters per-completion-token values (one list per sequence, aligned with completionTokens)
 * into a [B, T] float32 array aligned with `packed.targets`; other positions get `fill`.
 */
export function alignToTargets(packed: PackedBatch, values: readonly (readonly number[])[], fill = 0): mx.array {
  const rows = values.map((row, b) => {
    const out = new Array<number>(packed.length).fill(fill);
    const offset = packed.offsets[b]!;
    row.forEach((v, i) => {
      out[offset + i] = v;
    });
    return out;
  });
  return mx.array(rows, mx.float32);
}
