/**
 * Reward-model throughput of @rlaif/reward-onnx against Python (transformers tokenizer + onnxruntime)
 * on the same model and texts, back to back. Make the model once, then run from the repository root:
 *   python packages/reward-onnx/fixtures/make_fixture.py --bench /tmp/rm-bench
 *   npx jiti packages/reward-onnx/bench/throughput.ts /tmp/rm-bench <python with onnxruntime+transformers> [batch=8] [threads=2] [samples=64] [repeats=3]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RewardInput } from '@rlaif/core';
import { onnxReward } from '@rlaif/reward-onnx';

const [modelDir, python, batchArg = '8', threadsArg = '2', samplesArg = '64', repeatsArg = '3'] = process.argv.slice(2);
if (!modelDir || !python) {
  console.error('usage: throughput.ts <model dir> <python> [batch] [threads] [samples] [repeats]');
  process.exit(2);
}
const [batchSize, threads, samples, repeats] = [batchArg, threadsArg, samplesArg, repeatsArg].map(Number) as [number, number, number, number];

// Prompts and completions of varied length (about 60 to 400 tokens with the bench vocabulary).
const texts = Array.from({ length: samples }, (_, i) => ({
  prompt: `Write a function that adds two numbers, case ${i}. `,
  completion: `def add(a, b):\n    return a + b\n`.repeat(1 + (i * 7) % 12),
}));

const batch: RewardInput[] = texts.map(({ prompt, completion }, i) => ({
  rollout: {
    task: { id: `t${i}`, language: 'python', prompt, extra: {} },
    sampleIndex: 0, text: completion, code: completion, promptTokens: [], completionTokens: [1], behaviourLogprobs: [0],
    finishReason: 'eos', policyVersion: 0, generationMs: 0,
  },
  score: null, reference: null, referenceScore: null,
}));

const reward = onnxReward({ model: modelDir, batchSize, threads, truncation: 'right', maxLength: 512 });
const context = { step: 0, logMetric: () => undefined };
await reward.compute(batch, context); // warm-up
const latencies: number[] = [];
const started = performance.now();
let scores: readonly (number | null)[] = [];
for (let r = 0; r < repeats; r++) scores = await reward.compute(batch, { step: 0, logMetric: (name, value) => void (name.endsWith('LatencyMs') && latencies.push(value)) });
const seconds = (performance.now() - started) / 1000;
const ours = { samplesPerSec: (repeats * samples) / seconds, msPerBatch: latencies.reduce((a, b) => a + b, 0) / latencies.length };
await reward.release();

const textsFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'rlaif-rm-bench-')), 'texts.json');
writeFileSync(textsFile, JSON.stringify(texts.map(({ prompt, completion }) => prompt + completion)));
const peerScript = fileURLToPath(new URL('./peer.py', import.meta.url));
const peerRun = spawnSync(python, [peerScript, modelDir, textsFile, String(batchSize), String(threads), String(repeats)], { encoding: 'utf8' });
if (peerRun.status !== 0) throw new Error(`peer failed: ${peerRun.stderr}`);
const peer = JSON.parse(peerRun.stdout.trim().split('\n').at(-1)!) as { samplesPerSec: number; msPerBatch: number; first: number[] };

const agree = peer.first.every((value, i) => Math.abs(value - (scores[i] ?? Number.NaN)) < 1e-4);
console.log(`samples ${samples}, batch ${batchSize}, threads ${threads}, repeats ${repeats}; same scores as the peer: ${agree}`);
console.log(`rlaif (onnxruntime-node)  ${ours.samplesPerSec.toFixed(1)} samples/s  ${ours.msPerBatch.toFixed(1)} ms/batch`);
console.log(`python (onnxruntime)      ${peer.samplesPerSec.toFixed(1)} samples/s  ${peer.msPerBatch.toFixed(1)} ms/batch`);
console.log(`ratio rlaif / python      ${(ours.samplesPerSec / peer.samplesPerSec).toFixed(2)}×`);
