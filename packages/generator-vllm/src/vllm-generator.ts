/**
 * `vllm()`: a Generator on one or more vLLM (or other OpenAI-compatible) servers. Prompts go out as
 * the backend's token ids and completions come back as ids with the sampled tokens' log-probs. After
 * each optimizer update the run hands the LoRA adapter (PEFT layout) to `syncPolicy`, which has every
 * server load it under `policy-v{k}` (`/v1/load_lora_adapter`) and unload the previous one; requests
 * then name `policy-v{k}` as the model, and every rollout carries that version.
 *
 *   generator: vllm({ baseURLs: ['http://gpu1:8000', 'http://gpu2:8000'], adapterDir: '/shared/rlaif-adapters' })
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { BackendError, checkSamplingRequest, completionBudget, ConfigError, engineRollouts } from '@rlaif/core';
import type { GenerationResult, Generator, Logger, PolicyBinding, SamplingParams, Task } from '@rlaif/core';
import { completionBody, parseCompletion, type ParsedSample } from './completion-request.js';
import { HttpError, ServerPool } from './server-pool.js';

/** Options of `vllm()`. */
export interface VllmGeneratorSettings {
  /** Server base URLs (without `/v1`); default `http://localhost:8000`. Requests are balanced across them. */
  readonly baseURLs?: readonly string[];
  /** Bearer token (vLLM's `--api-key`); default `VLLM_API_KEY` from the environment. */
  readonly apiKey?: string;
  /**
   * A folder the servers can read (a shared mount) where each policy version's adapter is copied;
   * default none: the servers are given the run's own folder (same machine).
   */
  readonly adapterDir?: string;
  /** `adapterDir` as the servers see it, when they mount it elsewhere; default `adapterDir`. */
  readonly serverAdapterDir?: string;
  /** Requests in flight per server; more wait (back-pressure). Default 4. */
  readonly maxConcurrency?: number;
  /** Per-request timeout in milliseconds; default 600000. */
  readonly timeoutMs?: number;
  /** Retries of a failed request on another server; default 3. */
  readonly maxRetries?: number;
  /** First retry delay in milliseconds, doubling; default 500. */
  readonly backoffMs?: number;
  /**
   * What the servers' log-probs are: `processed` (after temperature and top-k/top-p, as the rollouts
   * need; vLLM's `--logprobs-mode processed_logprobs`) or `raw` (the untempered model's). Default processed.
   */
  readonly logprobs?: 'processed' | 'raw';
  readonly fetch?: typeof fetch;
}

function checkSettings(settings: VllmGeneratorSettings): void {
  for (const key of ['maxConcurrency', 'timeoutMs'] as const) {
    const value = settings[key];
    if (value !== undefined && (!Number.isInteger(value) || value <= 0)) {
      throw new ConfigError(`expected a positive integer, got ${String(value)}`, `generator.${key}`, undefined, { hint: `set ${key} to a positive integer or leave it out` });
    }
  }
  for (const url of settings.baseURLs ?? []) {
    if (!/^https?:\/\/[^/]/.test(url)) throw new ConfigError(`${JSON.stringify(url)} is not an http(s) URL`, 'generator.baseURLs', undefined, { hint: "give the server's base URL, e.g. 'http://localhost:8000'" });
  }
  if (settings.logprobs !== undefined && settings.logprobs !== 'processed' && settings.logprobs !== 'raw') {
    throw new ConfigError(`expected 'processed' or 'raw', got ${JSON.stringify(settings.logprobs)}`, 'generator.logprobs', undefined, { hint: "use 'processed' with vllm serve --logprobs-mode processed_logprobs" });
  }
}

/** The PEFT files a server needs (the optimizer's state beside them is not copied). */
const ADAPTER_FILES = ['adapter_config.json', 'adapter_model.safetensors'];

/** Creates the vLLM Generator. */
export function vllm(settings: VllmGeneratorSettings = {}): Generator {
  checkSettings(settings);
  const pool = new ServerPool(settings.baseURLs ?? ['http://localhost:8000'], {
    maxConcurrency: settings.maxConcurrency ?? 4,
    timeoutMs: settings.timeoutMs ?? 600_000,
    maxRetries: settings.maxRetries ?? 3,
    backoffMs: settings.backoffMs ?? 500,
    apiKey: settings.apiKey ?? process.env['VLLM_API_KEY'],
    fetch: settings.fetch ?? fetch,
  });
  let binding: PolicyBinding | undefined;
  let loadedName: string | undefined;
  let policyVersion = 0;
  let logger: Logger | undefined;
  let signal: AbortSignal | undefined;

  /** Where the servers read version `name`'s adapter from. */
  const publish = async (dir: string, name: string): Promise<string> => {
    if (!settings.adapterDir) return path.resolve(dir);
    const target = path.join(settings.adapterDir, name);
    await mkdir(target, { recursive: true });
    for (const file of ADAPTER_FILES) await copyFile(path.join(dir, file), path.join(target, file));
    return path.posix.join(settings.serverAdapterDir ?? settings.adapterDir, name);
  };

  const load = async (name: string, loraPath: string): Promise<void> => {
    try {
      await pool.postEach('/v1/load_lora_adapter', { lora_name: name, lora_path: loraPath }, signal);
    } catch (error) {
      if (!(error instanceof HttpError)) throw new BackendError(`vLLM: loading adapter ${name} failed: ${(error as Error).message}`, { hint: 'check that every server in generator.baseURLs is up', cause: error });
      if (error.status === 400 && /has already been loaded/.test(error.serverMessage)) {
        // A server kept this name from an earlier run of the same directory: reload it.
        await pool.postEach('/v1/unload_lora_adapter', { lora_name: name }, signal);
        await pool.postEach('/v1/load_lora_adapter', { lora_name: name, lora_path: loraPath }, signal);
        return;
      }
      if (error.status === 404 && /no adapter found/i.test(error.serverMessage)) {
        throw new BackendError(`vLLM at ${error.baseURL} cannot read the adapter at ${loraPath}: ${error.serverMessage}`, {
          hint: 'set generator.adapterDir to a folder the servers can read (and generator.serverAdapterDir to its path on the servers)',
          cause: error,
        });
      }
      if (error.status === 404 || error.status === 405) {
        throw new ConfigError(`the server at ${error.baseURL} cannot load LoRA adapters at run time (${error.status} on /v1/load_lora_adapter)`, 'generator', undefined, {
          hint: 'start it with VLLM_ALLOW_RUNTIME_LORA_UPDATING=True vllm serve <base> --enable-lora --max-lora-rank <rank>, or sample in-process with generator: \'@rlaif/generator-llamacpp\'',
          cause: error,
        });
      }
      throw new BackendError(`vLLM at ${error.baseURL} refused adapter ${name}: ${error.serverMessage}`, {
        hint: 'if the rank is too large, raise vllm serve --max-lora-rank to model.lora.rank or more',
        cause: error,
      });
    }
  };

  return {
    specificationVersion: 'v1',
    kind: 'generator',
    name: 'vllm',
    async setup(context) {
      logger = context.logger;
      signal = context.signal;
    },
    async bindPolicy(value) {
      if (!value.lora) {
        throw new ConfigError('vLLM cannot load fully fine-tuned weights at run time, only LoRA adapters', 'generator', undefined, {
          hint: "set model.finetuning to 'lora', or sample in-process with generator: '@rlaif/generator-llamacpp', which re-exports the whole model after each update",
        });
      }
      binding = value;
    },
    async syncPolicy(dir, version) {
      const name = `policy-v${version}`;
      await load(name, await publish(dir, name));
      const previous = loadedName;
      loadedName = name;
      policyVersion = version;
      if (previous && previous !== name) {
        await pool.postEach('/v1/unload_lora_adapter', { lora_name: previous }, signal).catch((error: unknown) => logger?.warn(`vLLM: unloading ${previous} failed: ${(error as Error).message}`));
        if (settings.adapterDir) await rm(path.join(settings.adapterDir, previous), { recursive: true, force: true });
      }
    },
    async generate(tasks: readonly Task[], n: number, sampling: SamplingParams): Promise<GenerationResult> {
      const started = performance.now();
      if (!binding || !loadedName) {
        throw new BackendError('the vLLM generator has no policy loaded yet', {
          hint: "name it in the config's generator key, so the run binds and syncs it; an embedding application calls bindPolicy and syncPolicy first",
        });
      }
      const model = loadedName;
      const version = policyVersion;
      const prompts = tasks.map((task) => binding!.promptTokens(task));
      const maxLength = binding.model.maxLength;
      checkSamplingRequest(prompts, n, sampling, maxLength);
      const samples = await Promise.all(
        prompts.map((prompt, t) =>
          pool.post(
            '/v1/completions',
            completionBody(model, prompt, n, sampling, (sampling.seed * 1_000_003 + t) % 2 ** 31, completionBudget(prompt.length, sampling.maxNewTokens, maxLength)),
            (json) => {
              try {
                return parseCompletion(json, n);
              } catch (error) {
                throw new BackendError(`vLLM: malformed completion for task ${tasks[t]!.id}: ${(error as Error).message}`, {
                  hint: 'use a vLLM that supports return_tokens_as_token_ids (0.6 or later)',
                  cause: error,
                });
              }
            },
            (parsed: ParsedSample[]) => parsed.reduce((s, p) => s + p.tokenIds.length, 0),
            signal,
          ),
        ),
      );
      const generationMs = performance.now() - started;
      const result = engineRollouts(tasks, prompts, samples, { samplingTemperature: settings.logprobs === 'raw' ? 1 : sampling.temperature, policyVersion: version, generationMs });
      logger?.info(
        `vLLM throughput: ${pool
          .stats()
          .map((s) => `${s.baseURL} ${(s.seconds > 0 ? s.completionTokens / s.seconds : 0).toFixed(0)} tok/s per request (${s.requests} ok, ${s.failures} failed)`)
          .join('; ')}`,
        { generator: 'vllm' },
      );
      return result;
    },
  };
}

export default vllm;
