/**
 * `llamacpp()`: a Generator on llama.cpp in-process (node-llama-cpp). It samples from rlaif's GGUF
 * export of the policy and reloads it at each `syncPolicy`; prompts go in as the backend's token ids
 * and completions come back as ids with their sampling log-probs. The `n` samples of a task run on
 * the sequence that already holds the prompt's KV cache when one is free; up to `sequences` samples
 * decode together in one batch.
 *
 *   generator: llamacpp({ threads: 1 })   or   "generator": { "use": "@rlaif/generator-llamacpp" }
 */
import { BackendError, checkSamplingRequest, completionBudget, ConfigError, engineRollouts } from '@rlaif/core';
import type { GenerationResult, Generator, PluginContext, PolicyBinding, SamplingParams, Task } from '@rlaif/core';
import { GgufPolicy } from './gguf-policy.js';
import type { EngineContext } from './llama-engine.js';
import { sampleSequence, type SequenceSample } from './sample-sequence.js';
import { defaultThreads } from './threads.js';

/** Options of `llamacpp()`. */
export interface LlamaCppGeneratorSettings {
  /** CPU threads of llama.cpp; default one fewer than the cores (see threads.ts for why not all). */
  readonly threads?: number;
  /** Layers offloaded to a GPU (CUDA, Vulkan, Metal builds); default 0 (CPU). 'auto' fits what the GPU holds. */
  readonly gpuLayers?: number | 'auto' | 'max';
  /**
   * Samples decoded together in one batch (llama.cpp sequences); default 16. Each holds its own
   * `contextSize` tokens of KV cache.
   */
  readonly sequences?: number;
  /** Tokens per sequence (prompt + completion); default the model's training context, at most 4096. */
  readonly contextSize?: number;
}

function checkSettings(settings: LlamaCppGeneratorSettings): void {
  for (const key of ['threads', 'sequences', 'contextSize'] as const) {
    const value = settings[key];
    if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
      throw new ConfigError(`expected a positive integer, got ${String(value)}`, `generator.${key}`, undefined, { hint: `set ${key} to a positive integer or leave it out` });
    }
  }
  const gpu = settings.gpuLayers;
  if (gpu !== undefined && gpu !== 'auto' && gpu !== 'max' && (!Number.isInteger(gpu) || gpu < 0)) {
    throw new ConfigError(`expected a layer count, 'auto' or 'max', got ${String(gpu)}`, 'generator.gpuLayers', undefined, { hint: 'use 0 for CPU only' });
  }
}

/** One sample to make: which task, which sample of its group, its seed. */
interface Job {
  readonly task: number;
  readonly sample: number;
  readonly seed: number;
}

/** Creates the llama.cpp Generator. */
export function llamacpp(settings: LlamaCppGeneratorSettings = {}): Generator {
  checkSettings(settings);
  const engineOptions = {
    threads: settings.threads ?? defaultThreads(),
    gpuLayers: settings.gpuLayers ?? 0,
    sequences: settings.sequences ?? 16,
    contextSize: settings.contextSize,
  };
  let binding: PolicyBinding | undefined;
  let policy: GgufPolicy | undefined;
  let policyVersion = 0;
  let logger: PluginContext['logger'] | undefined;

  const loaded = (): { engine: EngineContext; binding: PolicyBinding } => {
    const engine = policy?.engine;
    if (!engine || !binding) {
      throw new BackendError('the llama.cpp generator has no policy loaded yet', {
        hint: "name it in the config's generator key, so the run binds and syncs it; an embedding application calls bindPolicy and syncPolicy first",
      });
    }
    return { engine, binding };
  };

  return {
    specificationVersion: 'v1',
    kind: 'generator',
    name: 'llamacpp',
    async setup(context) {
      logger = context.logger;
    },
    async bindPolicy(value) {
      binding = value;
      policy = new GgufPolicy(value, engineOptions);
    },
    async syncPolicy(dir, version) {
      if (!policy) throw new BackendError('syncPolicy was called before bindPolicy', { hint: 'call bindPolicy with the loaded policy first' });
      const started = performance.now();
      await policy.sync(dir);
      policyVersion = version;
      logger?.debug(`llama.cpp: policy version ${version} exported and loaded in ${((performance.now() - started) / 1000).toFixed(2)} s`);
    },
    async generate(tasks: readonly Task[], n: number, sampling: SamplingParams): Promise<GenerationResult> {
      const started = performance.now();
      const { engine: current, binding: bound } = loaded();
      const prompts = tasks.map((task) => bound.promptTokens(task));
      const maxLength = bound.model.maxLength;
      checkSamplingRequest(prompts, n, sampling, maxLength);
      const budgets = prompts.map((prompt) => completionBudget(prompt.length, sampling.maxNewTokens, maxLength));
      prompts.forEach((prompt, i) => {
        if (prompt.length + budgets[i]! > current.contextSize) {
          throw new BackendError(`task ${tasks[i]!.id}: ${prompt.length} prompt tokens + maxNewTokens ${budgets[i]} exceed llama.cpp's context of ${current.contextSize} tokens`, {
            hint: 'raise generator.contextSize (up to the model\'s training context), or lower rlaif.maxNewTokens',
          });
        }
      });
      const jobs: Job[] = prompts.flatMap((_, task) => Array.from({ length: n }, (_, sample) => ({ task, sample, seed: jobSeed(sampling.seed, task * n + sample) })));
      const results: SequenceSample[][] = tasks.map(() => []);
      // Each sequence takes the next sample of the task whose prompt it holds in its KV cache, else a
      // task no other sequence holds (so each prompt is evaluated about once), else the next job.
      const pending = [...jobs];
      const held = new Map<number, number>();
      const take = (sequence: number): Job | undefined => {
        const mine = held.get(sequence);
        const taken = new Set(held.values());
        let at = mine === undefined ? -1 : pending.findIndex((job) => job.task === mine);
        if (at < 0) at = pending.findIndex((job) => !taken.has(job.task));
        return pending.splice(Math.max(at, 0), 1)[0];
      };
      await Promise.all(
        current.sequences.map(async (sequence, s) => {
          for (let job = take(s); job; job = take(s)) {
            held.set(s, job.task);
            results[job.task]![job.sample] = await sampleSequence(current.model, sequence, prompts[job.task]!, sampling, job.seed, budgets[job.task]!);
          }
        }),
      );
      const generationMs = performance.now() - started;
      const result = engineRollouts(tasks, prompts, results, { samplingTemperature: sampling.temperature, policyVersion: policyVersion, generationMs });
      return result;
    },
    async close() {
      await policy?.close();
    },
  };
}

/** A 32-bit seed per sample from the call's seed (splitmix-style mixing, so neighbours differ). */
function jobSeed(seed: number, index: number): number {
  let x = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0;
  return (x ^ (x >>> 15)) >>> 0;
}

export default llamacpp;
