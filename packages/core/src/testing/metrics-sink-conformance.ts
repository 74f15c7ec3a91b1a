import { stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MetricsSink } from '../contracts/metrics-sink.js';
import { temporaryPluginContext } from './plugin-context.js';

export interface MetricsSinkConformanceOptions {
  makeSink(): MetricsSink;
}

/** The MetricsSink contract: accepts every write, flushes durably, reports true file lengths. */
export function describeMetricsSinkConformance(name: string, options: MetricsSinkConformanceOptions): void {
  describe(`MetricsSink conformance: ${name}`, () => {
    it('declares the v1 sink contract', () => {
      const sink = options.makeSink();
      expect(sink.specificationVersion).toBe('v1');
      expect(sink.kind).toBe('sink');
      expect(sink.name).toMatch(/\S/);
    });

    it('accepts scalars, text, histograms and summaries, then flushes and closes', async () => {
      const context = await temporaryPluginContext();
      const sink = options.makeSink();
      await sink.setup?.(context);
      for (let step = 1; step <= 3; step++) {
        await sink.write(step, { 'Train/Loss': 1 / step, 'Train/AvgReward': step / 10 });
        await sink.writeText?.(step, 'Samples/Completions', `sample ${step}`);
        await sink.writeHistogram?.(step, 'Train/Rewards', [0.1, 0.5, 0.9]);
        await sink.writeSummary?.({ kind: 'batch', epoch: 1, batch: step, step, metrics: { 'Train/Loss': 1 / step } });
      }
      await sink.writeSummary?.({ kind: 'epoch', epoch: 1, step: 3, metrics: { 'Epoch/AvgReward': 0.2 } });
      await sink.flush();
      const files = sink.durableFiles?.() ?? {};
      for (const [relative, bytes] of Object.entries(files)) {
        expect(path.isAbsolute(relative), `${relative} is relative to the run dir`).toBe(false);
        expect(relative.startsWith('..')).toBe(false);
        const size = (await stat(path.join(context.runDir, relative))).size;
        expect(size, `${relative} length after flush`).toBe(bytes);
      }
      await sink.close?.();
    });
  });
}
