/**
 * The Optimizer of the MLX backend: policy-gradient and SFT updates of a causal LM's trainable
 * parameters (LoRA adapters, or the whole model without LoRA). One `step` accumulates gradients
 * over micro-batches of all given batches, clips the global norm and applies AdamW; `ppoEpochs`
 * repeats that over the same rollouts.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { nn } from '@frost-beta/mlx';
import { core as mx } from '@frost-beta/mlx';
import type {
  Logger,
  OptimizationSpec,
  Optimizer,
  PolicyBatch,
  StepStats,
  SupervisedExample,
  Task,
} from '@rlaif/core';
import { BackendError, CheckpointError, learningRateAt, silentLogger, supervisedLearningRate, writeFileAtomic } from '@rlaif/core';
import type { FullModelMetadata } from '../checkpoint/full-model.js';
import { REFERENCE_WEIGHTS_FILE, loadFullModel, loadNamedWeights, saveFullModel, saveNamedWeights } from '../checkpoint/full-model.js';
import type { AdapterMetadata } from '../checkpoint/peft-adapter.js';
import { loadPeftAdapter, savePeftAdapter } from '../checkpoint/peft-adapter.js';
import type { LoraLayers } from '../lora/apply-lora.js';
import { withAdaptersDisabled } from '../lora/apply-lora.js';
import { AdamW } from '../optim/adamw.js';
import { loadAdamWState, saveAdamWState } from '../optim/adamw-state-file.js';
import { clipScale, globalNorm } from './gradient-norm.js';
import { policyLoss, supervisedLoss } from './policy-loss.js';
import { releaseMemory } from '../engine/memory.js';
import type { PackedBatch, ScoredSequence } from './sequence-batch.js';
import { forwardPacked, packForScoring } from './shared-prompts.js';
import { chunk, collectItems, emptyPassTotals, emptyStepStats, policyStepStats, tokenWeights, type PassTotals, type TrainItem } from '@rlaif/core';
import { alignToTargets, packSequences } from './sequence-batch.js';
import { targetLogprobs, tokenEntropy } from './token-statistics.js';
import { flattenTrainable, updateNamed, valueAndGradients } from './trainable-gradients.js';

/** A causal LM: `forward(tokens [B,T] int32) → logits [B,T,V]`. */
export type CausalLanguageModel = { forward(tokens: mx.array): mx.array } & nn.Module;

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
  readonly model: CausalLanguageModel;
  /** The adapters; undefined trains every parameter (full fine-tuning). */
  readonly lora: LoraLayers | undefined;
  /** How LoRA checkpoints are described (PEFT adapter_config.json); needed to save with `lora`. */
  readonly adapter: AdapterMetadata | undefined;
  /** Where a full fine-tuning checkpoint's config and tokenizer come from; needed to save without `lora`. */
  readonly fullModel?: FullModelMetadata;
  readonly optimization: OptimizationSpec;
  /** Needed by `supervisedStep` only. */
  readonly encoder?: SupervisedEncoder;
  readonly seed: number;
  readonly logger?: Logger;
  /**
   * The sampling temperature of a rollout, so the PPO ratio compares log-probs at the temperature the
   * behaviour log-probs were taken at (as TRL does); undefined = 1. The backend's generator supplies it.
   */
}

export const RNG_STATE_FILE = 'rng_state.json';
/** Policy version and update count; named apart from the checkpoint manager's trainer_state.json. */
export const POLICY_STATE_FILE = 'policy_state.json';

/** One micro-batch: its logits and its loss (plus stats) as a function of them. */
interface MicroBatchLoss {
  forward(): mx.array;
  loss(logits: mx.array): { loss: mx.array; aux: readonly mx.array[] };
}

/** The Optimizer contract over an in-memory MLX model. */
export class PolicyOptimizer implements Optimizer {
  readonly specificationVersion = 'v1';
  readonly kind = 'optimizer';
  readonly name = 'mlx';
  private policyVersion = 0;
  private updates = 0;
  /** `step` calls: the position in the learning-rate schedule (SFT does not advance it; PPO passes of one call share it). */
  private policyUpdates = 0;
  private readonly adam: AdamW;
  private readonly logger: Logger;
  /**
   * Full fine-tuning's KL reference: the trainable weights at the first policy-gradient step (after
   * any SFT warm-up). MLX arrays are immutable and updates replace them, so holding the old arrays
   * is the snapshot; it costs memory only once the weights change.
   */
  private referenceWeights: readonly mx.array[] | undefined;

  constructor(private readonly options: PolicyOptimizerOptions) {
    const o = options.optimization;
    validateOptimization(o);
    this.adam = new AdamW({ betas: o.adamBetas, epsilon: o.adamEpsilon, weightDecay: o.weightDecay });
    this.logger = options.logger ?? silentLogger;
    if (o.gradientCheckpointing) {
      this.logger.warn('gradient checkpointing is unavailable in node-mlx 0.0.7 (mx.checkpoint is missing); training without it', {
        setting: 'training.gradientCheckpointing',
        backend: 'mlx',
      });
    }
    options.model.eval();
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
    // Without a KL term, a zero-advantage rollout has zero loss and gradient (GRPO's all-equal
    // groups): it still counts in the mean's denominator but needs no forward pass.
    const active = o.klPenalty > 0 ? items : items.filter((item) => item.advantage !== 0);
    const activeTokens = active.reduce((n, item) => n + item.completionTokens.length, 0);
    if (activeTokens === 0) return emptyStepStats(this.currentLearningRate(), started);
    const micro = chunk(active, o.microBatchSize);
    const weights = micro.map((group) => tokenWeights(group, o.aggregation, items.length, tokens));
    if (o.klPenalty > 0 && !this.options.lora && !this.referenceWeights) {
      this.referenceWeights = flattenTrainable(this.options.model).values;
    }
    const reference = o.klPenalty > 0 ? await this.referenceLogprobs(micro) : undefined;
    // π_old for importance sampling: the first pass takes its own log-probs; later passes need them kept.
    const importance = (o.importanceSamplingCap ?? 0) > 0;
    const old = importance && o.ppoEpochs > 1 ? await this.oldLogprobs(micro) : undefined;
    const epochs: PassTotals[] = [];
    const norms: number[] = [];
    // One schedule position per step call: its PPO passes share the rate (StepPlan.policyUpdates).
    const learningRate = learningRateAt(o, this.policyUpdates);
    let skippedUpdates = 0;
    for (let epoch = 0; epoch < o.ppoEpochs; epoch++) {
      const result = await this.update(micro.length, (i) => policyMicroBatch(this.options.model, micro[i]!, weights[i]!, reference?.[i], old?.[i], o), learningRate);
      epochs.push(result.totals);
      if (result.skipped) skippedUpdates += 1;
      else norms.push(result.gradNorm);
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
      completionTokens: [
        ...encoder.completionTokens(example.completion),
        ...(encoder.eosTokenId === undefined ? [] : [encoder.eosTokenId]),
      ],
    }));
    const usable = sequences.filter((s) => s.promptTokens.length > 0 && s.completionTokens.length > 0);
    const tokens = usable.reduce((n, s) => n + s.completionTokens.length, 0);
    if (tokens === 0) return emptyStepStats(rate, started);
    const o = this.options.optimization;
    const micro = chunk(usable, o.microBatchSize);
    const weights = micro.map((group) => tokenWeights(group, o.aggregation, usable.length, tokens));
    const result = await this.update(micro.length, (i) => {
      const packed = packSequences(micro[i]!);
      return {
        forward: () => this.options.model.forward(packed.inputs),
        loss(logits: mx.array) {
          const loss = supervisedLoss(targetLogprobs(logits, packed.targets), alignToTargets(packed, weights[i]!));
          const entropy = mx.sum(mx.multiply(mx.stopGradient(tokenEntropy(logits)), packed.mask));
          const zero = mx.array(0, mx.float32);
          return { loss, aux: [loss, zero, entropy, zero] };
        },
      };
    }, rate);
    this.policyVersion += 1;
    return {
      loss: result.totals.loss,
      policyLoss: result.totals.policyLoss,
      kl: 0,
      entropy: result.totals.entropySum / tokens,
      clipFraction: 0,
      gradNorm: result.skipped ? Number.NaN : result.gradNorm,
      learningRate: result.learningRate,
      tokens,
      seconds: (performance.now() - started) / 1000,
      skippedUpdates: result.skipped ? 1 : 0,
    };
  }

  async save(dir: string): Promise<void> {
    const { lora, adapter, fullModel, model } = this.options;
    if (lora) {
      if (!adapter) throw new BackendError('saving a LoRA policy needs its adapter metadata', { hint: 'construct PolicyOptimizer with `adapter`' });
      await savePeftAdapter(dir, lora, adapter);
    } else {
      if (!fullModel) throw new BackendError('saving a fully fine-tuned policy needs its model folder', { hint: 'construct PolicyOptimizer with `fullModel`' });
      await saveFullModel(dir, model, fullModel);
      if (this.referenceWeights) await saveNamedWeights(path.join(dir, REFERENCE_WEIGHTS_FILE), flattenTrainable(model).names, this.referenceWeights);
    }
    await saveAdamWState(this.adam, dir);
    await writeFileAtomic(path.join(dir, RNG_STATE_FILE), `${JSON.stringify({ seed: this.options.seed, updates: this.updates })}\n`);
    await writeFileAtomic(
      path.join(dir, POLICY_STATE_FILE),
      `${JSON.stringify({ version: this.policyVersion, updates: this.updates, policyUpdates: this.policyUpdates, backend: 'mlx' }, null, 2)}\n`,
    );
  }

  async load(dir: string): Promise<void> {
    const { lora, model } = this.options;
    if (lora) {
      await loadPeftAdapter(dir, lora);
    } else {
      await loadFullModel(dir, model);
      const referenceFile = path.join(dir, REFERENCE_WEIGHTS_FILE);
      const hasReference = await access(referenceFile).then(
        () => true,
        () => false,
      );
      this.referenceWeights = hasReference ? loadNamedWeights(referenceFile, flattenTrainable(model).names) : undefined;
    }
    const adamState = await loadAdamWState(dir);
    const names = flattenTrainable(this.options.model).names;
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

  private currentLearningRate(): number {
    return learningRateAt(this.options.optimization, this.policyUpdates);
  }

  /** log π_old of every micro-batch at its rows' sampling temperatures, without gradient: the parameters before this update. */
  private async oldLogprobs(micro: readonly TrainItem[][]): Promise<mx.array[]> {
    const out: mx.array[] = [];
    for (const group of micro) {
      const packed = packForScoring(this.options.model, group);
      const logits = forwardPacked(this.options.model, packed);
      const old = temperedLogprobs(logits, packed.targets, group.map((it) => it.temperature)) ?? targetLogprobs(logits, packed.targets);
      mx.eval(old);
      out.push(old);
      await releaseMemory('minor');
    }
    return out;
  }

  /**
   * Reference-policy log-probs of every micro-batch, without gradient: the base model (adapters
   * disabled) with LoRA; the snapshot taken at the first policy step with full fine-tuning.
   */
  private async referenceLogprobs(micro: readonly TrainItem[][]): Promise<mx.array[]> {
    const { model, lora } = this.options;
    const logprobs = (packed: PackedBatch) => targetLogprobs(forwardPacked(model, packed), packed.targets);
    const out: mx.array[] = [];
    for (const group of micro) {
      const packed = packForScoring(model, group);
      const ref = lora ? withAdaptersDisabled(lora, () => logprobs(packed)) : this.withReferenceWeights(() => logprobs(packed));
      mx.eval(ref);
      out.push(ref);
      await releaseMemory('minor');
    }
    return out;
  }

  /** Runs `compute` with the full fine-tuning reference weights in the model, then puts the current ones back. */
  private withReferenceWeights<T>(compute: () => T): T {
    const { model } = this.options;
    const current = flattenTrainable(model);
    updateNamed(model, current.names, this.referenceWeights!);
    try {
      return compute();
    } finally {
      updateNamed(model, current.names, current.values);
    }
  }

  /**
   * One optimiser update: forward/backward over `count` micro-batches (gradients summed),
   * global-norm clipping, AdamW. `microBatch(i)` gives micro-batch i's inputs and loss.
   */
  private async update(
    count: number,
    microBatch: (i: number) => MicroBatchLoss,
    learningRate: number,
  ): Promise<{ totals: PassTotals; gradNorm: number; learningRate: number; skipped: boolean }> {
    const { model } = this.options;
    const o = this.options.optimization;
    // Dropout draws from the global MLX stream; reseeding per update makes a resumed run repeat it.
    mx.random.seed((this.options.seed * 1_000_003 + this.updates) % 2 ** 31);
    model.train(true);
    const params = flattenTrainable(model);
    if (!this.adam.matches(params.names)) {
      throw new BackendError('the trainable parameters changed since the optimizer state was created', {
        hint: 'do not add or remove adapters after training started',
      });
    }
    const totals = emptyPassTotals();
    let accumulated: mx.array[] | undefined;
    try {
      for (let i = 0; i < count; i++) {
        const batch = microBatch(i);
        const { loss, aux, gradients } = valueAndGradients(model, params, () => batch.loss(batch.forward()));
        accumulated = accumulated ? accumulated.map((g, k) => mx.add(g, gradients[k]!)) : [...gradients];
        mx.eval(loss, ...aux, ...accumulated);
        const values = { loss: loss.item() as number, policyLoss: aux[0]!.item() as number, kl: aux[1]!.item() as number, entropy: aux[2]!.item() as number };
        checkFiniteLoss(values, `optimizer step ${this.policyVersion + 1}, micro-batch ${i + 1} of ${count}`);
        totals.loss += values.loss;
        totals.policyLoss += values.policyLoss;
        totals.klSum += values.kl;
        totals.entropySum += values.entropy;
        totals.clipped += aux[3]!.item() as number;
        if (aux.length > 4) {
          totals.mismatchSum += aux[4]!.item() as number;
          totals.mismatchMax = Math.max(totals.mismatchMax, aux[5]!.item() as number);
          totals.capped += aux[6]!.item() as number;
        }
        await releaseMemory('minor');
      }
    } finally {
      model.train(false);
    }
    const norm = globalNorm(accumulated!).item() as number;
    if (!Number.isFinite(norm)) {
      // A finite loss with a NaN/Inf gradient: applying it would poison the weights and the AdamW moments.
      this.logger.warn(`optimizer step ${this.policyVersion + 1}: the gradient norm is ${norm}; this update is skipped`, { backend: 'mlx' });
      await releaseMemory();
      return { totals, gradNorm: norm, learningRate, skipped: true };
    }
    // Clipping is a scale folded into the AdamW kernel, not a pass over the gradients.
    const next = this.adam.update(params.names, params.values, accumulated!, learningRate, clipScale(norm, o.maxGradNorm));
    updateNamed(model, params.names, next);
    mx.eval(...next, ...this.adam.pendingState());
    this.updates += 1;
    await releaseMemory();
    return { totals, gradNorm: norm, learningRate, skipped: false };
  }
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

/** The clipped policy-gradient loss of one micro-batch, with its stats as aux outputs. */
function policyMicroBatch(
  model: CausalLanguageModel,
  group: readonly TrainItem[],
  weights: readonly (readonly number[])[],
  reference: mx.array | undefined,
  old: mx.array | undefined,
  settings: OptimizationSpec,
): MicroBatchLoss {
  // Built in the same order as referenceLogprobs and oldLogprobs, so their arrays align with this packing.
  const packed = packForScoring(model, group);
  return {
    forward: () => forwardPacked(model, packed),
    loss(logits: mx.array) {
      const logprobs = targetLogprobs(logits, packed.targets);
      const tempered = temperedLogprobs(logits, packed.targets, group.map((it) => it.temperature));
      const terms = policyLoss(
        {
          logprobs: tempered ?? logprobs,
          untemperedLogprobs: logprobs,
          mask: packed.mask,
          weights: alignToTargets(packed, weights),
          advantages: alignToTargets(packed, group.map((it) => it.completionTokens.map(() => it.advantage))),
          behaviourLogprobs: alignToTargets(packed, group.map((it) => it.behaviourLogprobs)),
          referenceLogprobs: reference,
          oldLogprobs: old,
        },
        settings,
      );
      const entropy = mx.sum(mx.multiply(mx.stopGradient(tokenEntropy(logits)), packed.mask));
      return { loss: terms.loss, aux: [terms.policyLoss, terms.klSum, entropy, terms.clippedCount, terms.mismatchSum, terms.mismatchMax, terms.cappedCount] };
    },
  };
}

/** Log-probs of logits divided by each row's temperature [B,1,1]; undefined when every row is at 1. */
function temperedLogprobs(logits: mx.array, targets: mx.array, temperatures: readonly number[]): mx.array | undefined {
  if (temperatures.every((t) => t === 1)) return undefined;
  const scale = mx.array(temperatures.map((t) => [[1 / t]]), mx.float32);
  return targetLogprobs(mx.multiply(logits, scale), targets);
}
