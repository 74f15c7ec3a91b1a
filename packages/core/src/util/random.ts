/**
 * Seedable PRNG for everything that must replay exactly on resume: data order, sampling seeds.
 * xoshiro128** (fast, 2^128 period) seeded through splitmix32; `state()` round-trips through JSON.
 */
import { RlaifError } from '../errors/rlaif-error.js';

/** The JSON-serialisable state of a `Random`, as saved in checkpoints. */
export interface RandomState {
  readonly algorithm: 'xoshiro128**';
  readonly words: readonly [number, number, number, number];
}

const TWO_POW_32 = 0x1_0000_0000;

/** A deterministic random stream; same seed (or state) → same sequence on every platform. */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Seeds the stream from any safe integer (negative and > 32-bit seeds are fine). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new RlaifError(`random seed must be a safe integer, got ${String(seed)}`, {
        hint: 'set training.seed (or the seed you passed) to a whole number such as 42',
      });
    }
    const high = Math.floor(seed / TWO_POW_32) | 0;
    let mix = (seed >>> 0) ^ Math.imul(high, 0x9e3779b1);
    [mix, this.s0] = splitmix32(mix);
    [mix, this.s1] = splitmix32(mix ^ high);
    [mix, this.s2] = splitmix32(mix);
    [, this.s3] = splitmix32(mix);
    this.avoidZeroState();
  }

  /** Rebuilds a stream from `state()`; it continues exactly where the saved one stopped. */
  static fromState(state: RandomState): Random {
    const words = (state as { words?: unknown }).words;
    if (
      state.algorithm !== 'xoshiro128**' ||
      !Array.isArray(words) ||
      words.length !== 4 ||
      !words.every((word) => Number.isInteger(word) && word >= 0 && word < TWO_POW_32)
    ) {
      throw new RlaifError(`invalid random state ${JSON.stringify(state)}`, {
        hint: 'the checkpoint trainer state is corrupt or from another version; resume from an earlier checkpoint',
      });
    }
    const random = new Random(0);
    [random.s0, random.s1, random.s2, random.s3] = words as [number, number, number, number];
    random.avoidZeroState();
    return random;
  }

  /** A copy of the current state for checkpoints. */
  state(): RandomState {
    return { algorithm: 'xoshiro128**', words: [this.s0, this.s1, this.s2, this.s3] };
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /** A float in [0, 1) with 53 random bits. */
  next(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67_108_864 + low) / 9_007_199_254_740_992;
  }

  /** An unbiased integer in [0, n) for 1 ≤ n ≤ 2^32 (rejection sampling, no modulo bias). */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new RlaifError(`Random.int(n) needs an integer 1 ≤ n ≤ 2^32, got ${n}`, {
        hint: 'pass the number of choices, e.g. array.length (and never an empty array)',
      });
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Shuffles `array` in place (Fisher–Yates) and returns it. */
  shuffle<T>(array: T[]): T[] {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i] as T;
      array[i] = array[j] as T;
      array[j] = tmp;
    }
    return array;
  }

  /**
   * An independent stream derived from this one's current state and `label`; does not advance this
   * stream, so forks with different labels can be taken in any order.
   */
  fork(label: string): Random {
    const child = new Random(0);
    let mix = fnv1a(label);
    const words = [this.s0, this.s1, this.s2, this.s3];
    const out: number[] = [];
    for (const word of words) {
      let value: number;
      [mix, value] = splitmix32(mix ^ word);
      out.push(value);
    }
    [child.s0, child.s1, child.s2, child.s3] = out as [number, number, number, number];
    child.avoidZeroState();
    return child;
  }

  // xoshiro is stuck at all-zero state; astronomically unlikely from splitmix but cheap to rule out.
  private avoidZeroState(): void {
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 0x9e3779b9;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** One splitmix32 step: returns the advanced state and a well-mixed 32-bit output. */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [next, z >>> 0];
}

/** 32-bit FNV-1a over the UTF-16 code units of `text`. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
