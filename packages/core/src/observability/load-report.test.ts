import { describe, expect, it } from 'vitest';
import { formatLoadReport, memorySnapshot } from './load-report.js';

const GB = 1024 ** 3;

describe('the model-loading line', () => {
  it('gives time, parameters (total and trainable), size, dtype, device and memory before and after', () => {
    const info = { architecture: 'qwen2', parameters: 494_032_768, trainableParameters: 1_081_344, device: 'cpu', dtype: 'bfloat16', weightBytes: 0.92 * GB };
    const line = formatLoadReport(info, 3.24, { rssBytes: 0.31 * GB, footprintBytes: 0.2 * GB }, { rssBytes: 1.52 * GB, footprintBytes: 1.4 * GB }, { activeBytes: 1.1 * GB, peakBytes: 1.2 * GB });
    expect(line).toBe(
      'Loaded qwen2 in 3.2 s: 494.0M parameters (1.08M trainable), 0.92 GB of weights in bfloat16 on cpu; memory: RSS 0.31 → 1.52 GB, footprint 0.20 → 1.40 GB, engine 1.10 GB',
    );
    const { weightBytes: _, ...unsized } = info;
    expect(formatLoadReport(unsized, 1, { rssBytes: GB }, { rssBytes: 2 * GB })).toBe('Loaded qwen2 in 1.0 s: 494.0M parameters (1.08M trainable), in bfloat16 on cpu; memory: RSS 1.00 → 2.00 GB');
  });

  it('measures this process', () => {
    expect(memorySnapshot().rssBytes).toBeGreaterThan(0);
  });
});
