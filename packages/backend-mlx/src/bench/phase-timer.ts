/** Times the phases of a step for the profile scripts: best of a few repetitions each, printed as a markdown table. */
import { core as mx } from '@frost-beta/mlx';
import { releaseMemory } from '../engine/memory.js';

export class PhaseTimer {
  readonly rows: [string, number][] = [];

  constructor(private readonly reps: number) {}

  /** Best of `reps` runs of `fn` (its arrays evaluated), after `setup` (untimed; by default a full GC). */
  async time(name: string, fn: () => mx.array[] | void | Promise<unknown>, setup: () => unknown = releaseMemory): Promise<number> {
    let best = Infinity;
    for (let r = 0; r < this.reps; r++) {
      await setup();
      const start = performance.now();
      const out = await fn();
      if (Array.isArray(out)) mx.eval(...(out as mx.array[]));
      best = Math.min(best, performance.now() - start);
    }
    this.add(name, best / 1000);
    return best / 1000;
  }

  /** A row computed from others (a difference, a per-token figure times the tokens). */
  add(name: string, seconds: number): void {
    this.rows.push([name, seconds]);
    process.stderr.write(`[profile] ${name}: ${seconds.toFixed(3)} s\n`);
  }

  /** The rows as a markdown table. */
  table(): string {
    return ['| phase | s |', '| --- | --- |', ...this.rows.map(([k, v]) => `| ${k} | ${v.toFixed(3)} |`)].join('\n');
  }
}
