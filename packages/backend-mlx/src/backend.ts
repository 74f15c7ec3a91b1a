/**
 * The `mlx()` backend plugin: loads a Hugging Face model folder (or hub id) into node-mlx, puts
 * LoRA adapters on it and returns a Policy whose Generator and Optimizer share the same weights.
 *
 *   import { mlx } from '@rlaif/backend-mlx';
 *   const policy = await mlx().load({ model, lora, optimization, context });
 */
import { core as mx, utils } from '@frost-beta/mlx';
import type {
  Backend,
  BackendOptions,
  GenerateTextRequest,
  GenerateTextResult,
  GenerationResult,
  Generator,
  Policy,
  PolicyInfo,
  SamplingParams,
  Task,
} from '@rlaif/core';
import { BackendError, engineRollouts } from '@rlaif/core';
import { formatTaskPrompt, resolveModel } from '@rlaif/hf';
import { engineMemory } from './engine/engine-memory.js';
import { releaseMemory } from './engine/memory.js';
import { isFullModelCheckpoint } from './checkpoint/full-model.js';
import { loadPeftAdapter, readPeftAdapterConfig } from './checkpoint/peft-adapter.js';
import { exportCheckpoint } from './export/export-checkpoint.js';
import { generateSamples } from './generate/generate.js';
import type { LoadedModel } from './load/load-model.js';
import { loadModel } from './load/load-model.js';
import type { LoraLayers } from './lora/apply-lora.js';
import { applyLora } from './lora/apply-lora.js';
import { PolicyOptimizer } from './train/policy-optimizer.js';

/** Options of the `mlx()` plugin itself (the model, LoRA and optimisation come from the run config). */
export interface MlxBackendSettings {
  /** Hugging Face cache folder for hub ids (default HF_HUB_CACHE / HF_HOME / ~/.cache/huggingface/hub). */
  readonly cacheDir?: string;
  /** Never touch the network; hub ids must already be cached (default HF_HUB_OFFLINE). */
  readonly offline?: boolean;
}

/** Creates the MLX backend plugin. */
export function mlx(settings: MlxBackendSettings = {}): Backend {
  return {
    specificationVersion: 'v1',
    kind: 'backend',
    name: 'mlx',
    load: (options) => loadPolicy(options, settings),
    experimental_export: (request) =>
      exportCheckpoint({ ...request, cacheDir: settings.cacheDir, offline: settings.offline }),
    experimental_generateText: (request) => generateText(request, settings),
  };
}

/** One completion of a raw prompt, with an optional PEFT adapter on top (`rlaif generate`). */
async function generateText(request: GenerateTextRequest, settings: MlxBackendSettings): Promise<GenerateTextResult> {
  const started = performance.now();
  const { model: spec } = request;
  const dir = await resolveModel(spec.nameOrPath, { revision: spec.revision, cacheDir: settings.cacheDir, offline: settings.offline });
  const loaded = await loadModel(dir, { dtype: spec.dtype, quantizeBits: spec.quantizeBits });
  if (request.adapterDir) {
    if (await isFullModelCheckpoint(request.adapterDir)) {
      throw new BackendError(`${request.adapterDir} is a whole model (a full fine-tuning checkpoint), not an adapter`, {
        hint: `pass it as --model ${request.adapterDir} instead of --adapter`,
      });
    }
    const adapter = await readPeftAdapterConfig(request.adapterDir);
    const lora = applyLora(loaded.model, { rank: adapter.r, alpha: adapter.lora_alpha, dropout: 0, targetModules: adapter.target_modules });
    await loadPeftAdapter(request.adapterDir, lora);
  }
  const { tokenizer } = loaded;
  let promptTokens: number[];
  if (spec.chatTemplate) {
    if (!tokenizer.chatTemplate) {
      throw new BackendError('--chat needs a tokenizer with a chat template', { hint: 'drop --chat for base models, or use an instruct model' });
    }
    const messages = spec.systemPrompt ? [{ role: 'system' as const, content: spec.systemPrompt }] : [];
    promptTokens = tokenizer.encodeChat([...messages, { role: 'user', content: request.prompt }], { addGenerationPrompt: true });
  } else {
    promptTokens = tokenizer.encode(request.prompt);
  }
  const [samples] = await generateSamples(loaded.model, [promptTokens], 1, {
    tokenizer,
    eosTokenIds: loaded.eosTokenIds,
    sampling: request.sampling,
    releaseEvery: releaseInterval(loaded.parameterCount, spec.dtype),
  });
  const sample = samples?.[0];
  if (!sample) throw new BackendError('the sampler returned no sample', { hint: 'this is a bug: please report it with the command you ran' });
  await releaseMemory();
  return {
    text: sample.text,
    promptTokens,
    completionTokens: sample.tokenIds,
    logprobs: sample.logprobs,
    finishReason: sample.finishReason,
    seconds: (performance.now() - started) / 1000,
  };
}

export default mlx;

async function loadPolicy(options: BackendOptions, settings: MlxBackendSettings): Promise<Policy> {
  const { model: spec, context } = options;
  const dir = await resolveModel(spec.nameOrPath, { revision: spec.revision, cacheDir: settings.cacheDir, offline: settings.offline });
  const GB = 1024 ** 3;
  const loaded = await loadModel(dir, {
    dtype: spec.dtype,
    quantizeBits: spec.quantizeBits,
    onProgress: ({ loadedBytes, totalBytes, seconds }) =>
      context.logger.info(`Loading weights: ${Math.round((100 * loadedBytes) / totalBytes)}% (${(loadedBytes / GB).toFixed(2)} of ${(totalBytes / GB).toFixed(2)} GB, ${seconds.toFixed(1)} s)`),
  });
  if (loaded.quantization && loaded.quantization.skipped.length > 0) {
    context.logger.warn('some layers were not quantised', { skipped: loaded.quantization.skipped, setting: 'model.quantization' });
  }
  if (!options.lora && loaded.quantization) {
    throw new BackendError('quantised weights cannot be trained: full fine-tuning updates every weight', {
      hint: "set model.quantization to 'none', or model.finetuning to 'lora' (QLoRA)",
    });
  }
  // Without LoRA every weight trains (the model is loaded unfrozen).
  const lora = options.lora ? applyLora(loaded.model, options.lora) : undefined;
  const eosTokenId = loaded.tokenizer.eosTokenId ?? loaded.eosTokenIds[0];
  const optimizer = new PolicyOptimizer({
    model: loaded.model,
    lora,
    adapter: options.lora && {
      rank: options.lora.rank,
      alpha: options.lora.alpha,
      dropout: options.lora.dropout,
      baseModelNameOrPath: spec.nameOrPath,
    },
    fullModel: { sourceDir: dir, dtype: spec.dtype },
    optimization: options.optimization,
    encoder: {
      promptTokens: (task) => formatTaskPrompt(task, loaded.tokenizer, spec),
      completionTokens: (text) => loaded.tokenizer.encode(text, { addSpecialTokens: false }),
      ...(eosTokenId === undefined ? {} : { eosTokenId }),
    },
    seed: context.seed,
    logger: context.logger,
  });
  const generator = createGenerator(loaded, spec, () => optimizer.version);
  const info = policyInfo(loaded, lora, spec.dtype, spec.quantizeBits);
  context.logger.info('mlx policy loaded', { ...info, modelDir: dir });
  return {
    generator,
    optimizer,
    info,
    memory: engineMemory(),
    promptTokens: (task) => formatTaskPrompt(task, loaded.tokenizer, spec),
    async close() {
      await releaseMemory();
    },
  };
}

/** The Generator over an in-process model: prompts formatted per task, samples with log-probs. */
function createGenerator(
  loaded: LoadedModel,
  spec: BackendOptions['model'],
  version: () => number,
): Generator {
  const releaseEvery = releaseInterval(loaded.parameterCount, spec.dtype);
  return {
    specificationVersion: 'v1',
    kind: 'generator',
    name: 'mlx',
    async generate(tasks: readonly Task[], n: number, sampling: SamplingParams): Promise<GenerationResult> {
      const started = performance.now();
      const policyVersion = version();
      const prompts = tasks.map((task) => formatTaskPrompt(task, loaded.tokenizer, spec));
      // All tasks in one call: the sampler prefills each prompt once and decodes up to 64 rows
      // (prompts × n) together, which costs about as much per step as decoding one group.
      const sampled = await generateSamples(loaded.model, prompts, n, {
        tokenizer: loaded.tokenizer,
        eosTokenIds: loaded.eosTokenIds,
        sampling,
        releaseEvery,
        maxLength: spec.maxLength,
      });
      const generationMs = performance.now() - started;
      return engineRollouts(tasks, prompts, sampled, { samplingTemperature: sampling.temperature, policyVersion, generationMs });
    },
  };
}

/**
 * Decode steps between forced GCs. Half-precision weights are cast to float32 at every matmul on
 * CPU, so each token leaves a float32 copy of the weights as garbage: a 0.5 B model in bf16 ran out
 * of 24 GB with the default of 16 steps, and stays flat at ~6 GB when collecting every step.
 */
export function releaseInterval(parameters: number, dtype: BackendOptions['model']['dtype']): number {
  if (dtype === 'float32') return 16;
  const garbagePerToken = parameters * 4;
  return Math.max(1, Math.min(16, Math.floor(512 * 2 ** 20 / garbagePerToken)));
}

function policyInfo(loaded: LoadedModel, lora: LoraLayers | undefined, dtype: string, quantizeBits: number): PolicyInfo {
  const trainable = (utils.treeFlatten(loaded.model.trainableParameters()) as [string, mx.array][]).reduce((n, [, a]) => n + a.size, 0);
  if (trainable === 0 || (lora && lora.layers.size === 0)) {
    throw new BackendError('the policy has no trainable parameters', { hint: 'check model.lora.targetModules' });
  }
  return {
    architecture: loaded.config.modelType,
    parameters: loaded.parameterCount,
    trainableParameters: trainable,
    device: mx.metal.isAvailable() ? 'gpu (metal)' : 'cpu',
    dtype: quantizeBits > 0 ? `${dtype} base, ${quantizeBits}-bit quantised blocks` : dtype,
    weightBytes: loaded.weightBytes,
  };
}
