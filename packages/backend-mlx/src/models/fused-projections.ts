import { core as mx, type nn } from '@frost-beta/mlx';
import { asFloat32 } from '../engine/compute-dtype.js';

/**
 * Projections of one input (q/k/v, or gate/up) computed as one matmul against their weights stacked
 * row-wise, then split: on CPU a small model pays per native call, and one wider matmul also runs
 * nearer the BLAS peak. Gradients flow through the stacking to each weight. Outside training the
 * stacked weight is kept until any source weight is replaced (an update, a reference-weight swap).
 */
export class FusedProjections {
  private cached: { sources: readonly mx.array[]; weight: mx.array; bias: mx.array | undefined } | undefined;

  /**
   * `projections` applied to `x`, in order; undefined when they cannot be stacked (a LoRA or quantised
   * layer among them, or bias on some only): the caller then applies them one by one.
   */
  apply(x: mx.array, projections: readonly nn.Linear[], plain: (layer: nn.Linear) => boolean, training: boolean): mx.array[] | undefined {
    if (!projections.every(plain)) return undefined;
    const biased = projections.filter((p) => p.bias !== undefined).length;
    if (biased !== 0 && biased !== projections.length) return undefined;
    const sources = projections.flatMap((p) => (p.bias ? [p.weight, p.bias] : [p.weight]));
    let stacked = this.cached && !training && sameArrays(this.cached.sources, sources) ? this.cached : undefined;
    if (!stacked) {
      const weight = mx.concatenate(projections.map((p) => asFloat32(p.weight)), 0);
      const bias = biased ? mx.concatenate(projections.map((p) => asFloat32(p.bias!)), 0) : undefined;
      stacked = { sources, weight, bias };
      // Tracers of a gradient transform must not outlive it.
      this.cached = training ? undefined : stacked;
    }
    const out = stacked.bias ? mx.addmm(stacked.bias, x, stacked.weight.T) : mx.matmul(x, stacked.weight.T);
    const bounds: number[] = [];
    let end = 0;
    for (const p of projections.slice(0, -1)) bounds.push((end += p.weight.shape[0]!));
    return mx.split(out, bounds, -1);
  }
}

function sameArrays(a: readonly mx.array[], b: readonly mx.array[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
