/**
 * node-llama-cpp's runtime, one model and one context of parallel sequences. The prebuilt llama.cpp
 * binaries come from the `@node-llama-cpp/<platform>` packages npm installs as optional dependencies;
 * node-llama-cpp's postinstall only tries them (and would build llama.cpp from GitHub sources if none
 * fits), so with install scripts skipped nothing is lost, and `build: 'never'` keeps it from
 * downloading at run time.
 */
import { BackendError } from '@rlaif/core';
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';

/** How the engine runs. */
export interface LlamaEngineOptions {
  readonly threads: number;
  /** Layers offloaded to a GPU (CUDA, Vulkan, Metal); 0 = CPU only. */
  readonly gpuLayers: number | 'auto' | 'max';
  /** Sequences decoded together in one batch. */
  readonly sequences: number;
  /** Tokens per sequence; default the model's training context (at most 4096). */
  readonly contextSize: number | undefined;
}

/** One context of parallel sequences on a loaded model, with a LoRA adapter applied or none. */
export interface EngineContext {
  readonly model: LlamaModel;
  readonly context: LlamaContext;
  readonly sequences: readonly LlamaContextSequence[];
  readonly contextSize: number;
}

let runtime: Promise<Llama> | undefined;

/** The llama.cpp runtime, loaded once per process. */
async function llamaRuntime(options: LlamaEngineOptions): Promise<Llama> {
  runtime ??= (async () => {
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    try {
      return await getLlama({ gpu: options.gpuLayers === 0 ? false : 'auto', build: 'never', maxThreads: options.threads, logLevel: LlamaLogLevel.error, progressLogs: false });
    } catch (error) {
      runtime = undefined;
      throw new BackendError(`llama.cpp could not start: ${(error as Error).message}`, {
        hint: 'reinstall with `npm i -E node-llama-cpp@3.21.1` so npm fetches the prebuilt binary package for this platform (@node-llama-cpp/<platform>)',
        cause: error,
      });
    }
  })();
  return runtime;
}

/** Loads a GGUF model file. */
export async function loadGgufModel(ggufFile: string, options: LlamaEngineOptions): Promise<LlamaModel> {
  const llama = await llamaRuntime(options);
  return llama.loadModel({ modelPath: ggufFile, gpuLayers: options.gpuLayers });
}

/** A context of `options.sequences` sequences on `model`, with the GGUF LoRA adapter `loraFile` applied when given. */
export async function createEngineContext(model: LlamaModel, options: LlamaEngineOptions, loraFile?: string): Promise<EngineContext> {
  const context = await model.createContext({
    contextSize: options.contextSize ?? Math.min(model.trainContextSize, 4096),
    sequences: options.sequences,
    threads: { ideal: options.threads, min: options.threads },
    ...(loraFile ? { lora: { adapters: [{ filePath: loraFile }] } } : {}),
  });
  orderFirstSampleAfterDecode(context);
  const sequences = Array.from({ length: options.sequences }, () => context.getSequence());
  return { model, context, sequences, contextSize: context.contextSize };
}

/** The parts of node-llama-cpp's native context (its internal `_ctx`) that the guard below wraps. */
interface NativeContext {
  decodeBatch(...args: unknown[]): Promise<unknown>;
  sampleToken(...args: unknown[]): Promise<unknown>;
}

/**
 * node-llama-cpp 3.21.1 samples the sequences of a decoded batch at once, each on a libuv pool
 * thread, and each sampler's first read of the logits runs llama.cpp's lazy `output_reorder()`, which
 * swaps rows of the context's shared output buffer in place without a lock (the batch's outputs come
 * out of the per-sequence KV streams in another order than they went in). Two readers at once swap a
 * pair twice or half-way, and a sequence samples from a sibling's row or another position's: tokens
 * skipped, repeated or borrowed. So after each decode the first sample runs alone (its read does the
 * reordering) and the others start when it is done, still in parallel with each other.
 */
export function orderFirstSampleAfterDecode(context: LlamaContext): void {
  const native = (context as unknown as { _ctx?: Partial<NativeContext> })._ctx;
  if (typeof native?.decodeBatch !== 'function' || typeof native.sampleToken !== 'function') {
    throw new BackendError('node-llama-cpp\'s native context is not the one this generator was written against', {
      hint: 'install the pinned version: `npm i -E node-llama-cpp@3.21.1`',
    });
  }
  const decode = native.decodeBatch.bind(native);
  const sample = native.sampleToken.bind(native);
  let reordered: Promise<unknown> = Promise.resolve();
  let firstAfterDecode = false;
  // The addon's methods are read-only on its prototype: own properties shadow them.
  Object.defineProperty(native, 'decodeBatch', {
    value: async (...args: unknown[]) => {
      const result = await decode(...args);
      firstAfterDecode = true;
      return result;
    },
  });
  Object.defineProperty(native, 'sampleToken', {
    value: (...args: unknown[]) => {
      if (!firstAfterDecode) return reordered.then(() => sample(...args));
      firstAfterDecode = false;
      const first = sample(...args);
      reordered = first.catch(() => undefined);
      return first;
    },
  });
}
