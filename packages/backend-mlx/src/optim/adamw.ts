/**
 * AdamW (Loshchilov & Hutter) with bias correction and decoupled weight decay, over a flat list
 * of parameters. MLX 0.13's Adam has no bias correction, hence our own. The bias corrections
 * are folded into two scalars, and the gradient-clipping scale into the moment coefficients, so
 * each parameter is one fused kernel (see fused-update.ts) or, where that is unavailable, a
 * handful of elementwise ops.
 */
import { core as mx } from '@frost-beta/mlx';
import type { AdamScalars } from './fused-update.js';
import { adamKernel } from './fused-update.js';

/** AdamW hyper-parameters; the learning rate is passed per update (schedules live outside). */
export interface AdamWOptions {
  readonly betas: readonly [number, number];
  readonly epsilon: number;
  readonly weightDecay: number;
}

/** Moments of every parameter plus the update count; what `save`/`load` persist. */
export interface AdamWState {
  readonly step: number;
  readonly names: readonly string[];
  readonly m: readonly mx.array[];
  readonly v: readonly mx.array[];
}

/** AdamW over parameters identified by name; moments are float32 whatever the parameter dtype. */
export class AdamW {
  private stepCount = 0;
  private names: string[] = [];
  private m: mx.array[] = [];
  private v: mx.array[] = [];

  constructor(readonly options: AdamWOptions) {}

  /** Updates applied so far (t in the bias correction). */
  get step(): number {
    return this.stepCount;
  }

  /**
   * Returns the updated parameters (same order as `params`) and advances the moments.
   * `gradientScale` multiplies every gradient first (global-norm clipping) at no extra pass.
   * The caller evaluates the result together with `pendingState()` in one `mx.eval`.
   */
  update(names: readonly string[], params: readonly mx.array[], grads: readonly mx.array[], learningRate: number, gradientScale = 1): mx.array[] {
    if (this.names.length === 0) this.initialise(names, params);
    const [beta1, beta2] = this.options.betas;
    const t = ++this.stepCount;
    const correction1 = 1 - beta1 ** t;
    const correction2 = 1 - beta2 ** t;
    // lr·m̂/(√v̂+ε) = stepSize·m/(√v + ε·√c2) with stepSize = lr·√c2/c1.
    const stepSize = (learningRate * Math.sqrt(correction2)) / correction1;
    const epsilon = this.options.epsilon * Math.sqrt(correction2);
    const decay = 1 - learningRate * this.options.weightDecay;
    // m = β1·m + (1−β1)·(s·g), v = β2·v + (1−β2)·(s·g)²: the clip scale s folds into the coefficients.
    // Scalars are arrays, not captured numbers: a compiled kernel would otherwise keep the first values.
    const scalars = [beta1, (1 - beta1) * gradientScale, beta2, (1 - beta2) * gradientScale ** 2, decay, stepSize, epsilon].map((x) =>
      mx.array(x, mx.float32),
    ) as AdamScalars;
    const kernel = adamKernel();
    return params.map((param, i) => {
      const g = grads[i]!.dtype === mx.float32 ? grads[i]! : grads[i]!.astype(mx.float32);
      const p32 = param.dtype === mx.float32 ? param : param.astype(mx.float32);
      const [next, m, v] = kernel(p32, g, this.m[i]!, this.v[i]!, ...scalars);
      this.m[i] = m!;
      this.v[i] = v!;
      return next!.dtype === param.dtype ? next! : next!.astype(param.dtype);
    });
  }

  /** Arrays to evaluate after `update` so the moments do not keep the gradient graph alive. */
  pendingState(): mx.array[] {
    return [...this.m, ...this.v];
  }

  /** A snapshot of the state for checkpointing. */
  state(): AdamWState {
    return { step: this.stepCount, names: [...this.names], m: [...this.m], v: [...this.v] };
  }

  /** Restores a snapshot; names must match the parameters given to later updates. */
  restore(state: AdamWState): void {
    this.stepCount = state.step;
    this.names = [...state.names];
    this.m = [...state.m];
    this.v = [...state.v];
  }

  /** Forgets the moments and the step count: the next update starts like a fresh AdamW. */
  reset(): void {
    this.stepCount = 0;
    this.names = [];
    this.m = [];
    this.v = [];
  }

  /** Whether the moments were created for exactly these parameter names. */
  matches(names: readonly string[]): boolean {
    return this.names.length === 0 || (this.names.length === names.length && this.names.every((n, i) => n === names[i]));
  }

  private initialise(names: readonly string[], params: readonly mx.array[]): void {
    this.names = [...names];
    this.m = params.map((p) => mx.zeros(p.shape, mx.float32));
    this.v = params.map((p) => mx.zeros(p.shape, mx.float32));
  }
}
