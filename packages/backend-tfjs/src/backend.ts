/**
 * The `tfjs()` backend plugin: loads a Hugging Face model folder (or hub id) into TensorFlow.js
 * (tfjs-node over libtensorflow: CPU, or CUDA where the linked libtensorflow has a GPU), puts LoRA
 * adapters on it (or trains every weight) and returns a Policy whose Generator and Optimizer share
 * the same weights. Install the engine first: `bash scripts/setup-tfjs.sh` (called by scripts/setup.sh).
 *
 *   import { tfjs } from '@rlaif/backend-tfjs';
 *   const policy = await tfjs().load({ model, lora, optimization, context });
 */
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
import { isFullModelCheckpoint } from './checkpoint/full-model.js';
import { loadPeftAdapter, readPeftAdapterConfig } from './checkpoint/peft-adapter.js';
import { engineInfo } from './engine/device.js';
import { exportCheckpoint } from './export/export-checkpoint.js';
import { generateSamples } from './generate/generate.js';
import type { LoadedModel } from './load/load-model.js';
import { loadModel } from './load/load-model.js';
import { applyLora, trainableParameters } from './lora/apply-lora.js';
import { PolicyOptimizer } from './train/policy-optimizer.js';

/** Options of the `tfjs()` plugin itself (the model, LoRA and optimisation come from the run config). */
export interface TfjsBackendSettings {
  /** Hugging Face cache folder for hub ids (default HF_HUB_CACHE / HF_HOME / ~/.cache/huggingface/hub). */
  readonly cacheDir?: string;
  /** Never touch the network; hub ids must already be cached (default HF_HUB_OFFLINE). */
  readonly offline?: boolean;
}

/** Creates the TensorFlow.js backend plugin. */
export function tfjs(settings: TfjsBackendSettings = {}): Backend {
  return {
    specificationVersion: 'v1',
    kind: 'backend',
    name: 'tfjs',
    load: (options) => loadPolicy(options, settings),
    experimental_export: (request) => exportCheckpoint(request, settings),
    experimental_generateText: (request) => generateText(request, settings),
  };
}

export default tfjs;

async function loadPolicy(options: BackendOptions, settings: TfjsBackendSettings): Promise<Policy> {
  const { model: spec, context } = options;
  const dir = await resolveModel(spec.nameOrPath, { revision: spec.revision, cacheDir: settings.cacheDir, offline: settings.offline });
  // Without LoRA every weight trains (the base weights are trainable variables).
  const loaded = await loadModel(dir, { trainable: !options.lora, quantizeBits: spec.quantizeBits });
  const engine = engineInfo();
  context.logger.info('tensorflow engine', { ...engine });
  if (loaded.upcastBytes > 0) {
    context.logger.info('weights upcast to float32 (TensorFlow.js computes in float32 only)', {
      stored: loaded.storedDtypes.join(', '),
      extraMegabytes: Math.round(loaded.upcastBytes / 2 ** 20),
      setting: 'model.dtype',
    });
  }
  const targetModules = options.lora ? applyLora(loaded.model, options.lora, context.seed) : [];
  const eosTokenId = loaded.tokenizer.eosTokenId ?? loaded.eosTokenIds[0];
  const optimizer = new PolicyOptimizer({
    model: loaded.model,
    adapter: options.lora && {
      rank: options.lora.rank,
      alpha: options.lora.alpha,
      dropout: options.lora.dropout,
      baseModelNameOrPath: spec.nameOrPath,
      targetModules,
    },
    sourceDir: dir,
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
  const info = policyInfo(loaded, engine.device);
  context.logger.info('tfjs policy loaded', { ...info, modelDir: dir });
  return {
    generator,
    optimizer,
    info,
    async close() {
      optimizer.dispose();
      loaded.model.dispose();
    },
  };
}

/** The Generator over an in-process model: prompts formatted per task, samples with log-probs. */
function createGenerator(loaded: LoadedModel, spec: BackendOptions['model'], version: () => number): Generator {
  return {
    specificationVersion: 'v1',
    kind: 'generator',
    name: 'tfjs',
    async generate(tasks: readonly Task[], n: number, sampling: SamplingParams): Promise<GenerationResult> {
      const started = performance.now();
      const policyVersion = version();
      const prompts = tasks.map((task) => formatTaskPrompt(task, loaded.tokenizer, spec));
      const sampled = generateSamples(loaded.model, prompts, n, { tokenizer: loaded.tokenizer, eosTokenIds: loaded.eosTokenIds, sampling, maxLength: spec.maxLength });
      const generationMs = performance.now() - started;
      return engineRollouts(tasks, prompts, sampled, { samplingTemperature: sampling.temperature, policyVersion, generationMs });
    },
  };
}

/** One completion of a raw prompt, with an optional PEFT adapter on top (`rlaif generate`). */
async function generateText(request: GenerateTextRequest, settings: TfjsBackendSettings): Promise<GenerateTextResult> {
  const started = performance.now();
  const { model: spec } = request;
  const dir = await resolveModel(spec.nameOrPath, { revision: spec.revision, cacheDir: settings.cacheDir, offline: settings.offline });
  const loaded = await loadModel(dir, { quantizeBits: spec.quantizeBits });
  try {
    if (request.adapterDir) {
      if (await isFullModelCheckpoint(request.adapterDir)) {
        throw new BackendError(`${request.adapterDir} is a whole model (a full fine-tuning checkpoint), not an adapter`, {
          hint: `pass it as --model ${request.adapterDir} instead of --adapter`,
        });
      }
      const adapter = await readPeftAdapterConfig(request.adapterDir);
      applyLora(loaded.model, { rank: adapter.r, alpha: adapter.lora_alpha, dropout: 0, targetModules: adapter.target_modules });
      await loadPeftAdapter(request.adapterDir, loaded.model);
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
    const [samples] = generateSamples(loaded.model, [promptTokens], 1, { tokenizer, eosTokenIds: loaded.eosTokenIds, sampling: request.sampling });
    const sample = samples?.[0];
    if (!sample) throw new BackendError('the sampler returned no sample', { hint: 'this is a bug: please report it with the command you ran' });
    return {
      text: sample.text,
      promptTokens,
      completionTokens: sample.tokenIds,
      logprobs: sample.logprobs,
      finishReason: sample.finishReason,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    loaded.model.dispose();
  }
}

function policyInfo(loaded: LoadedModel, device: string): PolicyInfo {
  const trainable = trainableParameters(loaded.model).variables.reduce((n, v) => n + v.size, 0);
  if (trainable === 0) throw new BackendError('the policy has no trainable parameters', { hint: 'check model.lora.targetModules' });
  return {
    architecture: loaded.config.modelType,
    parameters: loaded.parameterCount,
    trainableParameters: trainable,
    device,
    dtype: 'float32',
  };
}
