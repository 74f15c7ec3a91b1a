/**
 * AdamW (Loshchilov & Hutter) with bias correction and decoupled weight decay over named tf.Variables:
 * the same arithmetic as backend-mlx's optim/adamw.ts (bias corrections and the clipping scale folded
 * into scalars), so a step on either engine moves the weights the same way.
 */
import { tf } from '../engine/tf.js';

/** AdamW hyper-parameters; the learning rate is passed per update (schedules live outside). */
export interface AdamWOptions {
  readonly betas: readonly [number, number];
  readonly epsilon: number;
  readonly weightDecay: number;
}

/** Moments of every parameter plus the update count, as plain arrays (what checkpoints hold). */
export interface AdamWState {
  readonly step: number;
  readonly names: readonly string[];
  readonly shapes: readonly (readonly number[])[];
  readonly m: readonly Float32Array[];
  readonly v: readonly Float32Array[];
}

/** AdamW over parameters identified by name; the moments are tensors it owns (dispose() frees them). */
export class AdamW {
  private stepCount = 0;
  private names: string[] = [];
  private m: tf.Tensor[] = [];
  private v: tf.Tensor[] = [];

  constructor(readonly options: AdamWOptions) {}

  /** Updates applied so far (t in the bias correction). */
  get step(): number {
    return this.stepCount;
  }

  /** Assigns the updated values to `params` and advances the moments; `gradientScale` multiplies every gradient first. */
  update(names: readonly string[], params: readonly tf.Variable[], grads: readonly tf.Tensor[], learningRate: number, gradientScale = 1): void {
    if (this.names.length === 0) this.initialise(names, params);
    const [beta1, beta2] = this.options.betas;
    const t = ++this.stepCount;
    const correction1 = 1 - beta1 ** t;
    const correction2 = 1 - beta2 ** t;
    // lr·m̂/(√v̂+ε) = stepSize·m/(√v + ε·√c2) with stepSize = lr·√c2/c1.
    const stepSize = (learningRate * Math.sqrt(correction2)) / correction1;
    const epsilon = this.options.epsilon * Math.sqrt(correction2);
    const decay = 1 - learningRate * this.options.weightDecay;
    params.forEach((param, i) => {
      const [m, v] = tf.tidy(() => {
        const g = grads[i]!;
        const m = tf.add(tf.mul(this.m[i]!, beta1), tf.mul(g, (1 - beta1) * gradientScale));
        const v = tf.add(tf.mul(this.v[i]!, beta2), tf.mul(tf.square(g), (1 - beta2) * gradientScale ** 2));
        param.assign(tf.sub(tf.mul(param, decay), tf.mul(tf.div(m, tf.add(tf.sqrt(v), epsilon)), stepSize)));
        return [m, v];
      });
      this.m[i]!.dispose();
      this.v[i]!.dispose();
      this.m[i] = m;
      this.v[i] = v;
    });
  }

  /** A snapshot of the state for checkpointing. */
  state(): AdamWState {
    return {
      step: this.stepCount,
      names: [...this.names],
      shapes: this.m.map((m) => m.shape),
      m: this.m.map((m) => m.dataSync() as Float32Array),
      v: this.v.map((v) => v.dataSync() as Float32Array),
    };
  }

  /** Restores a snapshot; names must match the parameters given to later updates. */
  restore(state: AdamWState): void {
    this.dispose();
    this.stepCount = state.step;
    this.names = [...state.names];
    this.m = state.m.map((m, i) => tf.tensor(m, [...state.shapes[i]!], 'float32'));
    this.v = state.v.map((v, i) => tf.tensor(v, [...state.shapes[i]!], 'float32'));
  }

  /** Whether the moments were created for exactly these parameter names. */
  matches(names: readonly string[]): boolean {
    return this.names.length === 0 || (this.names.length === names.length && this.names.every((n, i) => n === names[i]));
  }

  /** Frees the moments. */
  /** Forgets the moments and the step count: the next update starts like a fresh AdamW. */
  reset(): void {
    this.dispose();
    this.stepCount = 0;
    this.names = [];
  }

  dispose(): void {
    for (const tensor of [...this.m, ...this.v]) tensor.dispose();
    this.m = [];
    this.v = [];
  }

  private initialise(names: readonly string[], params: readonly tf.Variable[]): void {
    this.names = [...names];
    this.m = params.map((p) => tf.zeros(p.shape, 'float32'));
    this.v = params.map((p) => tf.zeros(p.shape, 'float32'));
  }
}
