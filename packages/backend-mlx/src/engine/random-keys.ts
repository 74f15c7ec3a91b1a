import { core as mx } from '@frost-beta/mlx';

/**
 * A seeded stream of MLX PRNG keys: the same seed gives the same keys in the same order,
 * so sampling is reproducible without touching MLX's global random state.
 */
export class RandomKeys {
  private key: mx.array;

  constructor(seed: number) {
    // mx.random.key takes a 64-bit seed; keep it a non-negative integer so JS numbers round-trip.
    this.key = mx.random.key(Math.abs(Math.trunc(seed)) % 2 ** 52);
  }

  /** The next key of the stream. */
  next(): mx.array {
    const pair = mx.random.split(this.key);
    this.key = pair.index(0);
    return pair.index(1);
  }

  /** `count` independent child streams (e.g. one per prompt group), drawn from this one. */
  fork(count: number): RandomKeys[] {
    const streams: RandomKeys[] = [];
    for (let i = 0; i < count; i += 1) {
      const child = Object.create(RandomKeys.prototype) as RandomKeys;
      child.key = this.next();
      streams.push(child);
    }
    return streams;
  }
}
