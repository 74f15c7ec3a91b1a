/**
 * A seeded stream of uniform numbers in [0, 1) (SplitMix32): the same seed gives the same numbers in the
 * same order. Sampling draws from it in JS because TensorFlow's seeded random ops advance hidden state
 * between eager calls, so the same op seed does not give the same draw twice.
 */
export class RandomStream {
  private state: number;

  constructor(seed: number) {
    this.state = Math.abs(Math.trunc(seed)) >>> 0;
  }

  /** The next number in [0, 1). */
  uniform(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  }

  /** `count` independent child streams (e.g. one per batch of prompts), seeded from this one. */
  fork(count: number): RandomStream[] {
    return Array.from({ length: count }, () => new RandomStream(Math.floor(this.uniform() * 2 ** 32)));
  }
}
