/**
 * Measures decode speed of the MLX generation loop on a ~25M-parameter Qwen2-shaped model with random
 * weights (vocab 32000, hidden 384, 8 layers): ms per decode step at batch 1 and with 8 samples per prompt.
 * Run from the repository root:  npx jiti packages/backend-mlx/scripts/bench-decode.ts [float32|bfloat16]
 */
import { core as mx } from '@frost-beta/mlx';
import type { SamplingParams } from '@rlaif/core';
import { parseModelConfig, type Tokenizer } from '@rlaif/hf';
import { generateSamples } from '../src/generate/generate.js';
import { createModel } from '../src/models/registry.js';
import { mlxDtype, type StorageDtype } from '../src/engine/compute-dtype.js';

const dtype = (process.argv[2] ?? 'float32') as StorageDtype;
const config = parseModelConfig(
  {
    model_type: 'qwen2', hidden_size: 384, intermediate_size: 1024, num_hidden_layers: 8, num_attention_heads: 6,
    num_key_value_heads: 2, vocab_size: 32000, rms_norm_eps: 1e-6, rope_theta: 1e6, tie_word_embeddings: true,
  },
  'bench/config.json',
);
const model = createModel(config);
if (dtype !== 'float32') {
  const cast = (tree: unknown): unknown =>
    tree instanceof mx.array ? tree.astype(mlxDtype(dtype)) : Array.isArray(tree) ? tree.map(cast) : tree && typeof tree === 'object' ? Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, cast(v)])) : tree;
  model.update(cast(model.parameters()) as ReturnType<typeof model.parameters>);
}
mx.eval(model.parameters());
const parameters = (function count(tree: unknown): number {
  if (tree instanceof mx.array) return tree.size;
  if (Array.isArray(tree)) return tree.reduce((sum: number, v) => sum + count(v), 0);
  if (tree && typeof tree === 'object') return Object.values(tree).reduce((sum: number, v) => sum + count(v), 0);
  return 0;
})(model.parameters());

// Decoding only needs decode() for stop strings; none are used here.
const tokenizer = { decode: () => '' } as unknown as Tokenizer;
const prompt = Array.from({ length: 64 }, (_, i) => (i * 37) % 32000);
const newTokens = 64;
const sampling: SamplingParams = { temperature: 1, topP: 0.95, topK: 0, minP: 0, maxNewTokens: newTokens, stop: [], seed: 1 };

// Wall time per step, and CPU time per step (all threads), which other load on the machine disturbs less.
async function measure(prompts: number[][], n: number): Promise<{ wall: number; cpu: number }> {
  await generateSamples(model, prompts, n, { tokenizer, eosTokenIds: [], sampling: { ...sampling, maxNewTokens: 4 } });
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const [group] = await generateSamples(model, prompts, n, { tokenizer, eosTokenIds: [], sampling });
  const cpu = process.cpuUsage(cpuStart);
  const elapsed = performance.now() - start;
  const steps = Math.max(...group!.map((s) => s.tokenIds.length));
  return { wall: elapsed / steps, cpu: (cpu.user + cpu.system) / 1000 / steps };
}

console.log(`model: ${(parameters / 1e6).toFixed(1)}M parameters, ${dtype} storage, prompt 64 tokens, ${newTokens} new tokens, top-p 0.95`);
// The second batch mixes prompt lengths, so it also exercises left padding.
for (const [prompts, n] of [[[prompt], 1], [[prompt], 8], [[prompt, prompt.slice(8), prompt.slice(16), prompt.slice(24)], 8]] as const) {
  const { wall, cpu } = await measure(prompts.map((p) => [...p]), n);
  const rss = (process.memoryUsage().rss / 2 ** 20).toFixed(0);
  const rows = prompts.length * n;
  console.log(`${prompts.length} prompt(s) × n=${n}: ${wall.toFixed(1)} ms per decode step wall, ${cpu.toFixed(1)} ms CPU (prefill included), ${((rows * 1000) / wall).toFixed(0)} tokens/s, RSS ${rss} MB`);
}
