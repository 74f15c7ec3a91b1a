/**
 * A linear projection with a low-rank adapter: y = x·Wᵀ + b + (alpha/rank)·dropout(x)·Aᵀ·Bᵀ.
 * The base weight keeps its Hugging Face name (`weight`, plus `scales`/`biases` when quantised)
 * so the model's parameter paths are unchanged; only `loraA`/`loraB` are trainable.
 */
import { core as mx, nn } from '@frost-beta/mlx';

/** How one adapter is shaped; `rank`/`alpha`/`dropout` as in PEFT's LoraConfig. */
export interface LoraLayerOptions {
  readonly rank: number;
  readonly alpha: number;
  readonly dropout: number;
}

/** A frozen nn.Linear or nn.QuantizedLinear plus a trainable low-rank update. */
export class LoraLinear extends nn.Module {
  /** Base weight [out, in] (packed [out, in·bits/32] when quantised); frozen. */
  weight: mx.array;
  bias?: mx.array;
  /** Quantisation scales/biases of the base weight (QLoRA); absent for a dense base. */
  scales?: mx.array;
  biases?: mx.array;
  /** Down projection, PEFT's lora_A convention [rank, in]. */
  loraA: mx.array;
  /** Up projection, PEFT's lora_B convention [out, rank]; starts at zero so the adapter starts as a no-op. */
  loraB: mx.array;
  // Underscored fields are not parameters for nn.Module.
  _groupSize: number;
  _bits: number;
  _scale: number;
  _dropout: number;
  _enabled = true;
  _inputDims: number;
  _outputDims: number;

  /** Wraps `base`; the adapter's A is drawn from U(±1/√in), as PEFT's Kaiming-uniform default bound. */
  static fromBase(base: nn.Linear | nn.QuantizedLinear, options: LoraLayerOptions): LoraLinear {
    return new LoraLinear(base, options);
  }

  private constructor(base: nn.Linear | nn.QuantizedLinear, options: LoraLayerOptions) {
    super();
    this.weight = base.weight;
    if (base.bias) this.bias = base.bias;
    if (base instanceof nn.QuantizedLinear) {
      this.scales = base.scales;
      this.biases = base.biases;
      this._groupSize = base.groupSize;
      this._bits = base.bits;
      this._inputDims = (base.weight.shape[1]! * 32) / base.bits;
    } else {
      this._groupSize = 0;
      this._bits = 0;
      this._inputDims = base.weight.shape[1]!;
    }
    this._outputDims = base.weight.shape[0]!;
    this._scale = options.alpha / options.rank;
    this._dropout = options.dropout;
    const bound = 1 / Math.sqrt(this._inputDims);
    this.loraA = mx.random.uniform(-bound, bound, [options.rank, this._inputDims]);
    this.loraB = mx.zeros([this._outputDims, options.rank]);
    this.freeze(false, ['weight', 'bias', 'scales', 'biases']);
  }

  /** Input features of the projection. */
  get inputDims(): number {
    return this._inputDims;
  }

  /** Output features of the projection. */
  get outputDims(): number {
    return this._outputDims;
  }

  /** Whether the base weight is quantised (QLoRA). */
  get quantized(): boolean {
    return this._bits > 0;
  }

  /** The (alpha / rank) factor applied to B·A. */
  get scale(): number {
    return this._scale;
  }

  /** Turns the adapter off (base-model outputs, e.g. for reference log-probs) or back on. */
  setEnabled(enabled: boolean): void {
    this._enabled = enabled;
  }

  /** Whether the adapter currently contributes to the output. */
  get enabled(): boolean {
    return this._enabled;
  }

  override forward(x: mx.array): mx.array {
    let y = this.baseForward(x);
    if (!this._enabled) return y;
    let h = x.dtype === mx.float32 ? x : x.astype(mx.float32);
    if (this.training && this._dropout > 0) {
      const keep = mx.random.bernoulli(1 - this._dropout, h.shape);
      h = mx.multiply(mx.where(keep, h, 0), 1 / (1 - this._dropout));
    }
    const update = mx.matmul(mx.matmul(h, this.loraA.T), this.loraB.T);
    y = mx.add(y, mx.multiply(update, this._scale));
    return y;
  }

  /** The base projection alone; dense weights are cast to float32 because CPU matmul is f32-only. */
  baseForward(x: mx.array): mx.array {
    let y: mx.array;
    if (this.scales && this.biases) {
      y = mx.quantizedMatmul(x, this.weight, this.scales, this.biases, true, this._groupSize, this._bits);
    } else {
      const w = this.weight.dtype === mx.float32 ? this.weight : this.weight.astype(mx.float32);
      const h = x.dtype === mx.float32 ? x : x.astype(mx.float32);
      y = mx.matmul(h, w.T);
    }
    return this.bias ? mx.add(y, this.bias) : y;
  }

  /** The dense base weight [out, in] in float32 (dequantised when quantised). */
  denseBaseWeight(): mx.array {
    if (this.scales && this.biases) {
      return mx.dequantize(this.weight, this.scales, this.biases, this._groupSize, this._bits).astype(mx.float32);
    }
    return this.weight.astype(mx.float32);
  }

  /** W + (alpha/rank)·B·A in float32: the weight a plain Linear needs to reproduce this layer. */
  mergedWeight(): mx.array {
    const delta = mx.matmul(this.loraB.astype(mx.float32), this.loraA.astype(mx.float32));
    return mx.add(this.denseBaseWeight(), mx.multiply(delta, this._scale));
  }
}
