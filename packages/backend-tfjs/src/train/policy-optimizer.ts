/**
 * The Optimizer of the TensorFlow.js backend: policy-gradient and SFT updates of a causal LM's trainable
 * parameters (LoRA adapters, or every weight without LoRA). One `step` accumulates gradients over
 * micro-batches of all given batches, clips the global norm and applies AdamW; `ppoEpochs` repeats that
 * over the same rollouts. Same semantics, statistics and checkpoint files as backend-mlx's optimizer.
 * Every tensor a step makes is disposed before it returns (tf.tidy / dispose).
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger, OptimizationSpec, Optimizer, PolicyBatch, StepStats, SupervisedExample, Task } from '@rlaif/core';
import { BackendError, CheckpointError, learningRateAt, silentLogger, supervisedLearningRate, writeFileAtomic } from '@rlaif/core';
import { REFERENCE_WEIGHTS_FILE, loadFullModel, loadNamedTensors, saveFullModel, saveNamedTensors } from '../checkpoint/full-model.js';
import type { AdapterMetadata } from '../checkpoint/peft-adapter.js';
import { loadPeftAdapter, savePeftAdapter } from '../checkpoint/peft-adapter.js';
import { tf } from '../engine/tf.js';
import { mlxName, trainableParameters } from '../lora/apply-lora.js';
import type { DecoderForCausalLM } from '../models/causal-lm.js';
import { AdamW } from '../optim/adamw.js';
import { loadAdamWState, saveAdamWState } from '../optim/adamw-state-file.js';
import { policyLoss, supervisedLoss } from './policy-loss.js';
import type { PackedBatch, ScoredSequence } from './sequence-batch.js';
import { alignToTargets, packSequences } from './sequence-batch.js';
import { targetLogprobs, tokenEntropy } from './token-statistics.js';
import { chunk, collectItems, emptyPassTotals, emptyStepStats, policyStepStats, tokenWeights, type PassTotals, type TrainItem } from '@rlaif/core';

/** Turns SFT examples into token ids; `eosTokenId` is appended to each completion when set. */
export interface SupervisedEncoder {
  /** The task's prompt formatted exactly as the generator formats it (chat template, system prompt). */
  promptTokens(task: Task): number[];
  /** A completion's text as token ids (no special tokens). */
  completionTokens(text: string): number[];
  readonly eosTokenId?: number;
}

/** What the optimizer needs besides the model. */
export interface PolicyOptimizerOptions {
  readonly model: DecoderForCausalLM;
  /** How LoRA checkpoints are described (PEFT adapter_config.json); undefined = full fine-tuning. */
  readonly adapter: AdapterMetadata | undefined;
  /** The loaded model folder: config and tokenizer files of full fine-tuning checkpoints come from it. */
  readonly sourceDir?: string;
  readonly optimization: OptimizationSpec;
  /** Needed by `supervisedStep` only. */
  readonly encoder?: SupervisedEncoder;
  readonly seed: number;
  readonly logger?: Logger;
}

export const RNG_STATE_FILE = 'rng_state.json';
/** Policy version and update count; named apart from the checkpoint manager's trainer_state.json. */
export const POLICY_STATE_FILE = 'policy_state.json';

/** The loss of one micro-batch (a scalar) and its statistics, computed from the model's logits. */
type MicroBatchLoss = (logits: tf.Tensor3D) => { loss: tf.Scalar; stats: readonly tf.Scalar[] };

/** The Optimizer contract over an in-memory TensorFlow.js model. */
export class PolicyOptimizer implements Optimizer {
  readonly specificationVersion = 'v1';
  readonly kind = 'optimizer';
  readonly name = 'tfjs';
  private policyVersion = 0;
  private updates = 0;
  /** `step` calls: the position in the learning-rate schedule (SFT does not advance it; PPO passes of one call share it). */
  private policyUpdates = 0;
  private readonly adam: AdamW;
  private readonly logger: Logger;
  /** Full fine-tuning's KL reference by HF name: copies of the weights at the first policy-gradient step. */
  private referenceWeights: Map<string, tf.Tensor> | undefined;

  constructor(private readonly options: PolicyOptimizerOptions) {
    const o = options.optimization;
    validateOptimization(o);
    this.adam = new AdamW({ betas: o.adamBetas, epsilon: o.adamEpsilon, weightDecay: o.weightDecay });
    this.logger = options.logger ?? silentLogger;
    if (o.gradientCheckpointing) {
      this.logger.warn('gradient checkpointing is not implemented on the TensorFlow.js backend; training without it', {
        setting: 'training.gradientCheckpointing',
        backend: 'tfjs',
      });
    }
  }

  /** Policy version: number of `step`/`supervisedStep` calls applied. */
  get version(): number {
    return this.policyVersion;
  }

  resetOptimizerState(): void {
    this.adam.reset();
  }

  /** Gradient passes applied (every PPO pass and SFT step counts). */
  get updateCount(): number {
    return this.updates;
  }

  async step(batches: readonly PolicyBatch[]): Promise<StepStats> {
    const started = performance.now();
    const items = collectItems(batches);
    const tokens = items.reduce((n, item) => n + item.completionTokens.length, 0);
    if (tokens === 0) return emptyStepStats(this.currentLearningRate(), started);
    const o = this.options.optimization;
    // Without a KL term, a zero-advantage rollout has zero loss and gradient: it still counts in the mean's denominator.
    const active = o.klPenalty > 0 ? items : items.filter((item) => item.advantage !== 0);
    const activeTokens = active.reduce((n, item) => n + item.completionTokens.length, 0);
    if (activeTokens === 0) return emptyStepStats(this.currentLearningRate(), started);
    const micro = chunk(active, o.microBatchSize);
    const weights = micro.map((group) => tokenWeights(group, o.aggregation, items.length, tokens));
    const { model } = this.options;
    if (o.klPenalty > 0 && !this.options.adapter && !this.referenceWeights) {
      this.referenceWeights = new Map([...model.weights].map(([name, weight]) => [name, tf.keep(weight.clone())]));
    }
    const reference = o.klPenalty > 0 ? micro.map((group) => this.referenceLogprobs(packSequences(group))) : undefined;
    // π_old for importance sampling: the first pass takes its own log-probs; later passes need them kept.
    const importance = (o.importanceSamplingCap ?? 0) > 0;
    const old = importance && o.ppoEpochs > 1 ? micro.map((group) => this.oldLogprobs(group)) : undefined;
    const epochs: PassTotals[] = [];
    const norms: number[] = [];
    // One schedule position per step call: its PPO passes share the rate (StepPlan.policyUpdates).
    const learningRate = learningRateAt(o, this.policyUpdates);
    let skippedUpdates = 0;
    try {
      for (let epoch = 0; epoch < o.ppoEpochs; epoch++) {
        const result = this.update(micro.length, (i) => policyMicroBatch(micro[i]!, weights[i]!, reference?.[i], old?.[i], o), (i) => packSequences(micro[i]!), learningRate);
        epochs.push(result.totals);
        if (result.skipped) skippedUpdates += 1;
        else norms.push(result.gradNorm);
      }
    } finally {
      for (const tensor of [...(reference ?? []), ...(old ?? [])]) tensor.dispose();
    }
    this.policyUpdates += 1;
    this.policyVersion += 1;
    return policyStepStats(epochs, { tokens, activeTokens, learningRate, gradNorms: norms, skippedUpdates, started, importance });
  }

  async supervisedStep(batches: readonly (readonly SupervisedExample[])[], learningRate?: number): Promise<StepStats> {
    const started = performance.now();
    const rate = supervisedLearningRate(this.options.optimization, learningRate);
    const encoder = this.options.encoder;
    if (!encoder) {
      throw new BackendError('supervisedStep needs a tokenizer, but this optimizer was built without one', {
        hint: 'construct PolicyOptimizer with an `encoder` (the backend passes the model tokenizer)',
      });
    }
    const sequences: ScoredSequence[] = batches.flat().map((example) => ({
      promptTokens: encoder.promptTokens(example.task),
      completionTokens: [...encoder.completionTokens(example.completion), ...(encoder.eosTokenId === undefined ? [] : [encoder.eosTokenId])],
    }));
    const usable = sequences.filter((s) => s.promptTokens.length > 0 && s.completionTokens.length > 0);
    const tokens = usable.reduce((n, s) => n + s.completionTokens.length, 0);
    if (tokens === 0) return emptyStepStats(rate, started);
    const o = this.options.optimization;
    const micro = chunk(usable, o.microBatchSize);
    const weights = micro.map((group) => tokenWeights(group, o.aggregation, usable.length, tokens));
    const packs = micro.map((group) => packSequences(group));
    const result = this.update(
      micro.length,
      (i) => (logits) => {
        const packed = packs[i]!;
        const loss = supervisedLoss(targetLogprobs(logits, tf.tensor2d(packed.targets, undefined, 'int32')), tf.tensor2d(alignToTargets(packed, weights[i]!)));
        const entropy = tf.sum(tf.mul(tokenEntropy(logits), tf.tensor2d(packed.mask))) as tf.Scalar;
        return { loss, stats: [loss, tf.scalar(0), entropy, tf.scalar(0)] };
      },
      (i) => packs[i]!,
      rate,
    );
    this.policyVersion += 1;
    return {
      loss: result.totals.loss,
      policyLoss: result.totals.policyLoss,
      kl: 0,
      entropy: result.totals.entropySum / tokens,
      clipFraction: 0,
      gradNorm: result.skipped ? Number.NaN : result.gradNorm,
      learningRate: rate,
      tokens,
      seconds: (performance.now() - started) / 1000,
      skippedUpdates: result.skipped ? 1 : 0,
    };
  }

  async save(dir: string): Promise<void> {
    const { adapter, model } = this.options;
    if (adapter) {
      await savePeftAdapter(dir, model, adapter);
    } else {
      if (!this.options.sourceDir) throw new BackendError('saving a fully fine-tuned policy needs its model folder', { hint: 'construct PolicyOptimizer with `sourceDir`' });
      await saveFullModel(dir, model, this.options.sourceDir);
      if (this.referenceWeights) {
        // Named as backend-mlx names its trainable parameters, so either engine resumes the KL reference.
        const byMlxName = new Map([...this.referenceWeights].map(([name, tensor]) => [mlxName(name), tensor]));
        await saveNamedTensors(path.join(dir, REFERENCE_WEIGHTS_FILE), byMlxName, { format: 'mlx' });
      }
    }
    await saveAdamWState(this.adam, dir);
    await writeFileAtomic(path.join(dir, RNG_STATE_FILE), `${JSON.stringify({ seed: this.options.seed, updates: this.updates })}\n`);
    await writeFileAtomic(
      path.join(dir, POLICY_STATE_FILE),
      `${JSON.stringify({ version: this.policyVersion, updates: this.updates, policyUpdates: this.policyUpdates, backend: 'tfjs' }, null, 2)}\n`,
    );
  }

  async load(dir: string): Promise<void> {
    const { adapter, model } = this.options;
    if (adapter) {
      await loadPeftAdapter(dir, model);
    } else {
      await loadFullModel(dir, model);
      const referenceFile = path.join(dir, REFERENCE_WEIGHTS_FILE);
      const hasReference = await access(referenceFile).then(
        () => true,
        () => false,
      );
      this.disposeReference();
      if (hasReference) {
        const byMlxName = await loadNamedTensors(referenceFile);
        const reference = new Map<string, tf.Tensor>();
        for (const name of model.parameterShapes().keys()) {
          const tensor = byMlxName.get(mlxName(name));
          if (!tensor) {
            for (const t of [...byMlxName.values()]) t.dispose();
            throw new CheckpointError(`the reference weights lack ${mlxName(name)}`, referenceFile, { hint: 'resume from a checkpoint written by this model' });
          }
          reference.set(name, tensor);
        }
        this.referenceWeights = reference;
      }
    }
    const adamState = await loadAdamWState(dir);
    const names = trainableParameters(model).names;
    if (adamState.names.length > 0 && adamState.names.join() !== names.join()) {
      throw new CheckpointError('optimizer state does not match the trainable parameters', path.join(dir, 'optimizer.json'), {
        hint: 'model.lora.targetModules and the model must be the same as when the checkpoint was written',
      });
    }
    this.adam.restore(adamState);
    const statePath = path.join(dir, POLICY_STATE_FILE);
    try {
      const state = JSON.parse(await readFile(statePath, 'utf8')) as { version: number; updates: number; policyUpdates?: number };
      this.policyVersion = state.version;
      this.updates = state.updates;
      this.policyUpdates = state.policyUpdates ?? state.updates;
    } catch (cause) {
      throw new CheckpointError('trainer state is missing or not valid JSON', statePath, {
        hint: 'resume from a complete checkpoint directory (one written by Optimizer.save)',
        cause,
      });
    }
  }

  /** Frees the optimizer's own tensors (AdamW moments, the KL reference copy). */
  dispose(): void {
    this.adam.dispose();
    this.disposeReference();
  }

  private disposeReference(): void {
    for (const tensor of this.referenceWeights?.values() ?? []) tensor.dispose();
    this.referenceWeights = undefined;
  }

  private currentLearningRate(): number {
    return learningRateAt(this.options.optimization, this.policyUpdates);
  }

  /** log π_old [B, T] of one micro-batch at its rows' sampling temperatures (no tape is recording): the parameters before this update. */
  private oldLogprobs(group: readonly TrainItem[]): tf.Tensor2D {
    const packed = packSequences(group);
    return tf.tidy(() => {
      const logits = this.options.model.forward(tf.tensor2d(packed.inputs, undefined, 'int32'));
      const targets = tf.tensor2d(packed.targets, undefined, 'int32');
      return temperedLogprobs(logits, targets, group) ?? targetLogprobs(logits, targets);
    });
  }

  /**
   * Reference-policy log-probs [B, T] of one micro-batch (no gradient: no tape is recording): the base
   * model (adapters disabled) with LoRA; the snapshot taken at the first policy step with full fine-tuning.
   */
  private referenceLogprobs(packed: PackedBatch): tf.Tensor2D {
    const { model } = this.options;
    const compute = () =>
      tf.tidy(() => targetLogprobs(model.forward(tf.tensor2d(packed.inputs, undefined, 'int32')), tf.tensor2d(packed.targets, undefined, 'int32')));
    return this.referenceWeights ? model.withWeights(this.referenceWeights, compute) : model.withAdaptersDisabled(compute);
  }

  /**
   * One optimiser update: forward/backward over `count` micro-batches (gradients summed), global-norm
   * clipping, AdamW. `lossOf(i)` gives micro-batch i's loss as a function of its logits.
   */
  private update(count: number, lossOf: (i: number) => MicroBatchLoss, packOf: (i: number) => PackedBatch, learningRate: number): { totals: PassTotals; gradNorm: number; skipped: boolean } {
    const { model } = this.options;
    const o = this.options.optimization;
    const params = trainableParameters(model);
    if (!this.adam.matches(params.names)) {
      throw new BackendError('the trainable parameters changed since the optimizer state was created', { hint: 'do not add or remove adapters after training started' });
    }
    const totals = emptyPassTotals();
    let accumulated: tf.Tensor[] | undefined;
    try {
      for (let i = 0; i < count; i++) {
        // One dropout seed per (run seed, update, micro-batch): a resumed run repeats the masks.
        model.dropoutSeed = (this.options.seed * 1_000_003 + this.updates * 10_007 + i * 100_003) % 2 ** 31;
        const packed = packOf(i);
        const loss = lossOf(i);
        let stats: tf.Scalar[] = [];
        const { value, grads } = tf.variableGrads(() => {
          const result = loss(model.forward(tf.tensor2d(packed.inputs, undefined, 'int32')));
          stats = result.stats.map((s) => tf.keep(s));
          return result.loss;
        }, [...params.variables]);
        const gradients = params.variables.map((v) => grads[v.name]!);
        const next = accumulated ? tf.tidy(() => accumulated!.map((g, k) => tf.add(g, gradients[k]!))) : gradients;
        if (accumulated) for (const tensor of [...accumulated, ...gradients]) tensor.dispose();
        accumulated = next;
        const [lossValue, policyValue, klValue, entropyValue, clippedValue, mismatchSum = 0, mismatchMax = 0, capped = 0] = [value, ...stats].map((s) => s.dataSync()[0]!);
        for (const tensor of [value, ...stats]) tensor.dispose();
        const values = { loss: lossValue!, policyLoss: policyValue!, kl: klValue!, entropy: entropyValue! };
        checkFiniteLoss(values, `optimizer step ${this.policyVersion + 1}, micro-batch ${i + 1} of ${count}`);
        totals.loss += values.loss;
        totals.policyLoss += values.policyLoss;
        totals.klSum += values.kl;
        totals.entropySum += values.entropy;
        totals.clipped += clippedValue!;
        totals.mismatchSum += mismatchSum;
        totals.mismatchMax = Math.max(totals.mismatchMax, mismatchMax);
        totals.capped += capped;
      }
    } catch (error) {
      for (const tensor of accumulated ?? []) tensor.dispose();
      throw error;
    } finally {
      model.dropoutSeed = undefined;
    }
    const gradients = accumulated!;
    try {
      const norm = tf.tidy(() => tf.sqrt(tf.addN(gradients.map((g) => tf.sum(tf.square(g))))).dataSync()[0]!);
      if (!Number.isFinite(norm)) {
        // A finite loss with a NaN/Inf gradient: applying it would poison the weights and the AdamW moments.
        this.logger.warn(`optimizer step ${this.policyVersion + 1}: the gradient norm is ${norm}; this update is skipped`, { backend: 'tfjs' });
        return { totals, gradNorm: norm, skipped: true };
      }
      this.adam.update(params.names, params.variables, gradients, learningRate, clipScale(norm, o.maxGradNorm));
      this.updates += 1;
      return { totals, gradNorm: norm, skipped: false };
    } finally {
      for (const tensor of gradients) tensor.dispose();
    }
  }
}

/** The factor min(1, maxNorm / norm) that clipping multiplies gradients by; 1 when `maxNorm` ≤ 0. */
export function clipScale(norm: number, maxNorm: number): number {
  return !(maxNorm > 0) || !(norm > maxNorm) ? 1 : maxNorm / (norm + 1e-6);
}

/**
 * Stops on a non-finite loss, naming where and which tensor made it so: the entropy reads only the
 * policy's logits, the KL term the reference log-probs, the policy term the log-probs and the batch.
 */
function checkFiniteLoss(values: { loss: number; policyLoss: number; kl: number; entropy: number }, where: string): void {
  if (Number.isFinite(values.loss)) return;
  const tensor = !Number.isFinite(values.entropy)
    ? "the policy's logits"
    : !Number.isFinite(values.kl)
      ? 'the reference log-probs (KL term)'
      : !Number.isFinite(values.policyLoss)
        ? "the policy's log-probs, or the batch's advantages or behaviour log-probs"
        : 'the loss';
  throw new BackendError(`${where}: non-finite values in ${tensor} (loss ${values.loss})`, {
    hint: 'lower training.learningRate or set training.maxGradNorm (e.g. 1.0); check the rollouts for NaN advantages or log-probs, or resume from an earlier checkpoint',
  });
}

function validateOptimization(o: OptimizationSpec): void {
  const fail = (key: string, message: string, hint: string) => {
    throw new BackendError(`optimization.${key}: ${message}`, { hint });
  };
  if (!(o.microBatchSize >= 1)) fail('microBatchSize', `must be ≥ 1, got ${o.microBatchSize}`, 'set it to e.g. 4');
  if (!(o.ppoEpochs >= 1)) fail('ppoEpochs', `must be ≥ 1, got ${o.ppoEpochs}`, 'set it to 1 (no reuse) or more');
  if (!(o.clipRange > 0)) fail('clipRange', `must be > 0, got ${o.clipRange}`, 'set it to e.g. 0.2');
  if (!(o.learningRate > 0)) fail('learningRate', `must be > 0, got ${o.learningRate}`, 'set training.learningRate to e.g. 1e-5');
}

/** The clipped policy-gradient loss of one micro-batch, with its statistics. */
function policyMicroBatch(
  group: readonly TrainItem[],
  weights: readonly (readonly number[])[],
  reference: tf.Tensor2D | undefined,
  old: tf.Tensor2D | undefined,
  settings: OptimizationSpec,
): MicroBatchLoss {
  const packed = packSequences(group);
  return (logits) => {
    const targets = tf.tensor2d(packed.targets, undefined, 'int32');
    const mask = tf.tensor2d(packed.mask);
    const logprobs = targetLogprobs(logits, targets);
    const terms = policyLoss(
      {
        logprobs: temperedLogprobs(logits, targets, group) ?? logprobs,
        untemperedLogprobs: logprobs,
        mask,
        weights: tf.tensor2d(alignToTargets(packed, weights)),
        advantages: tf.tensor2d(alignToTargets(packed, group.map((it) => it.completionTokens.map(() => it.advantage)))),
        behaviourLogprobs: tf.tensor2d(alignToTargets(packed, group.map((it) => it.behaviourLogprobs))),
        oldLogprobs: old,
        referenceLogprobs: reference,
      },
      settings,
    );
    const entropy = tf.sum(tf.mul(tokenEntropy(logits), mask)) as tf.Scalar;
    return { loss: terms.loss, stats: [terms.policyLoss, terms.klSum, entropy, terms.clippedCount, terms.mismatchSum, terms.mismatchMax, terms.cappedCount] };
  };
}

/**
 * Log-probs of the targets under logits / T of each row's sampling temperature, or undefined when every
 * row sampled at 1: behaviour log-probs were taken after temperature, so the ratio compares those (as TRL does).
 */
function temperedLogprobs(logits: tf.Tensor3D, targets: tf.Tensor2D, group: readonly TrainItem[]): tf.Tensor2D | undefined {
  const temperatures = group.map((it) => it.temperature);
  if (temperatures.every((t) => t === 1)) return undefined;
  return targetLogprobs(tf.mul(logits, tf.tensor3d(temperatures.map((t) => [[1 / t]]))), targets);
}
