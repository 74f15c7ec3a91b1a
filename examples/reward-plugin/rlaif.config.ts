// The same run as rlaif.config.json, written in TypeScript: the plugin is imported and called.
import { defineConfig } from '@rlaif/core';
import brevity from 'rlaif-reward-brevity';

export default defineConfig({
  model: { name: 'Qwen/Qwen2.5-Coder-0.5B-Instruct' },
  teacher: '@rlaif/teacher-exec',
  rewards: [
    { fn: 'ratio', weight: 0.8 },
    { fn: brevity({ maxRatio: 2 }), weight: 0.2 },
  ],
  data: { trainFile: './tasks.jsonl', evalSplit: 0 },
  training: { epochs: 1, batchSize: 2, outputDir: './runs/brevity' },
  sinks: [],
});
