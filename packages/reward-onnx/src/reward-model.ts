/** An exported sequence classifier on ONNX Runtime's CPU (or chosen) provider, with its own tokenizer. */
import { relative } from 'node:path';
import { ConfigError, DataError } from '@rlaif/core';
import { Tokenizer } from '@rlaif/hf';
import { InferenceSession } from 'onnxruntime-node';
import { batchFeeds, checkInputs } from './batch-feeds.js';
import { readClassifierConfig, type ClassifierConfig } from './classifier-config.js';
import type { ModelFiles } from './model-folder.js';
import type { ResolvedSettings } from './settings.js';

/** A loaded reward model: token ids in, one row of output scores per text out. */
export class RewardModel {
  private constructor(
    readonly files: ModelFiles,
    readonly tokenizer: Tokenizer,
    readonly config: ClassifierConfig,
    private readonly session: InferenceSession,
    /** Tokens per text at most (the option, else the position limit of config.json, else 512). */
    readonly maxLength: number,
    /** Index of the label whose score is the reward. */
    readonly labelIndex: number,
    private readonly settings: ResolvedSettings,
  ) {}

  /** Reads tokenizer and config, opens the ONNX session and checks its inputs and the chosen output. */
  static async load(files: ModelFiles, settings: ResolvedSettings): Promise<RewardModel> {
    const config = await readClassifierConfig(files.config);
    const tokenizer = await Tokenizer.fromDirectory(files.tokenizerDir);
    const maxLength = settings.maxLength ?? config.maxPositions ?? 512;
    if (config.maxPositions !== null && maxLength > config.maxPositions) {
      throw new ConfigError(`${maxLength} is more than the model's max_position_embeddings (${config.maxPositions}, ${config.file})`, `${settings.keyPath}.maxLength`, undefined, {
        hint: `set maxLength to ${config.maxPositions} or less`,
      });
    }
    const labelIndex = chooseLabel(settings, config);
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(files.onnx, {
        executionProviders: [...settings.executionProviders],
        graphOptimizationLevel: 'all',
        ...(settings.threads === undefined ? {} : { intraOpNumThreads: settings.threads, interOpNumThreads: 1 }),
      });
    } catch (cause) {
      throw new DataError(`ONNX Runtime cannot load the model: ${(cause as Error).message}`, files.onnx, undefined, {
        hint: `export the model again (a truncated download or an unsupported opset), or check ${settings.keyPath}.executionProviders`,
        cause,
      });
    }
    try {
      checkGraph(session, files.onnx, settings);
    } catch (error) {
      await session.release();
      throw error;
    }
    return new RewardModel(files, tokenizer, config, session, maxLength, labelIndex, settings);
  }

  /** The id the batch is padded with; null when neither config.json nor the tokenizer names one. */
  get padId(): number | null {
    return this.config.padTokenId ?? this.tokenizer.padTokenId ?? null;
  }

  /**
   * Output rows for token id lists, in their order, and the number of inference calls made. Texts run `batchSize` at a time, sorted by length so
   * little padding is computed; without a pad id only texts of equal length share a call.
   */
  async run(rows: readonly (readonly number[])[]): Promise<{ outputs: number[][]; calls: number }> {
    const order = rows.map((_, i) => i).sort((a, b) => rows[a]!.length - rows[b]!.length);
    const out: number[][] = new Array<number[]>(rows.length);
    const padId = this.padId;
    let calls = 0;
    for (let start = 0; start < order.length; ) {
      let end = Math.min(order.length, start + this.settings.batchSize);
      if (padId === null) {
        const length = rows[order[start]!]!.length;
        end = start + 1;
        while (end < order.length && end - start < this.settings.batchSize && rows[order[end]!]!.length === length) end++;
      }
      const chunk = order.slice(start, end);
      const scores = await this.runBatch(chunk.map((i) => rows[i]!), padId ?? 0);
      chunk.forEach((i, j) => (out[i] = scores[j]!));
      calls++;
      start = end;
    }
    return { outputs: out, calls };
  }

  /** Frees the native session. */
  async release(): Promise<void> {
    await this.session.release();
  }

  private async runBatch(rows: readonly (readonly number[])[], padId: number): Promise<number[][]> {
    const feeds = batchFeeds(rows, padId, this.session.inputNames);
    const result = await this.session.run(feeds, [this.settings.output]);
    const tensor = result[this.settings.output]!;
    const { dims } = tensor;
    const labels = dims.length === 1 ? 1 : dims[1];
    if (dims[0] !== rows.length || dims.length > 2 || labels !== this.config.labels.length) {
      throw new DataError(
        `output '${this.settings.output}' has shape [${dims.join(', ')}], expected [${rows.length}, ${this.config.labels.length}] (batch × the labels of ${relative(this.files.dir, this.config.file)})`,
        this.files.onnx,
        undefined,
        { hint: `choose the classifier's scores with ${this.settings.keyPath}.output (usually logits), or fix id2label/num_labels in config.json` },
      );
    }
    if (tensor.type !== 'float32' && tensor.type !== 'float64') {
      throw new DataError(`output '${this.settings.output}' holds ${tensor.type} values, not float32 scores`, this.files.onnx, undefined, {
        hint: 'export the model in float32 (float16 exports are for GPUs), or choose another output',
      });
    }
    const data = tensor.data as Float32Array | Float64Array;
    return rows.map((_, r) => Array.from(data.subarray(r * labels, (r + 1) * labels)));
  }
}

// The graph must take inputs this package can fill and have the chosen output.
function checkGraph(session: InferenceSession, onnxFile: string, settings: ResolvedSettings): void {
  checkInputs(session.inputNames, onnxFile);
  if (!session.outputNames.includes(settings.output)) {
    throw new DataError(`the ONNX graph has no output '${settings.output}' (its outputs: ${session.outputNames.join(', ')})`, onnxFile, undefined, {
      hint: `set ${settings.keyPath}.output to one of ${session.outputNames.map((n) => `'${n}'`).join(', ')}`,
    });
  }
}

function chooseLabel(settings: ResolvedSettings, config: ClassifierConfig): number {
  const { label } = settings;
  const names = config.labels.map((name, i) => `${i} = '${name}'`).join(', ');
  if (label === undefined) return config.labels.length - 1;
  const index = typeof label === 'number' ? label : config.labels.indexOf(label);
  if (index < 0 || index >= config.labels.length) {
    throw new ConfigError(`the model has no label ${JSON.stringify(label)} (its labels in ${config.file}: ${names})`, `${settings.keyPath}.label`, undefined, {
      hint: 'choose one of those labels by index or name',
    });
  }
  return index;
}
