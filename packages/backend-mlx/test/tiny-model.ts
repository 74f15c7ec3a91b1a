/**
 * A tiny Qwen2-shaped causal LM for tests (HF parameter names, plain nn.Linear projections),
 * so the training code can be exercised without the architecture files or any download.
 */
import { core as mx, nn } from '@frost-beta/mlx';

export interface TinyConfig {
  vocab: number;
  hidden: number;
  layers: number;
  heads: number;
  kvHeads: number;
  intermediate: number;
}

export const TINY: TinyConfig = { vocab: 32, hidden: 32, layers: 2, heads: 4, kvHeads: 2, intermediate: 64 };

class Attention extends nn.Module {
  q_proj: nn.Linear;
  k_proj: nn.Linear;
  v_proj: nn.Linear;
  o_proj: nn.Linear;
  _heads: number;
  _kvHeads: number;
  _headDim: number;
  constructor(c: TinyConfig) {
    super();
    this._heads = c.heads;
    this._kvHeads = c.kvHeads;
    this._headDim = c.hidden / c.heads;
    this.q_proj = new nn.Linear(c.hidden, c.hidden, true);
    this.k_proj = new nn.Linear(c.hidden, this._kvHeads * this._headDim, true);
    this.v_proj = new nn.Linear(c.hidden, this._kvHeads * this._headDim, true);
    this.o_proj = new nn.Linear(c.hidden, c.hidden, false);
  }
  override forward(x: mx.array, mask: mx.array): mx.array {
    const [b, t] = x.shape as [number, number];
    const split = (y: mx.array, h: number) => y.reshape(b, t, h, this._headDim).transpose(0, 2, 1, 3);
    let q = split(this.q_proj.forward(x), this._heads);
    let k = split(this.k_proj.forward(x), this._kvHeads);
    const v = split(this.v_proj.forward(x), this._kvHeads);
    q = mx.fast.rope(q, this._headDim, false, 10000, 1, 0);
    k = mx.fast.rope(k, this._headDim, false, 10000, 1, 0);
    const o = mx.fast.scaledDotProductAttention(q, k, v, 1 / Math.sqrt(this._headDim), mask);
    return this.o_proj.forward(o.transpose(0, 2, 1, 3).reshape(b, t, -1));
  }
}

class Mlp extends nn.Module {
  gate_proj: nn.Linear;
  up_proj: nn.Linear;
  down_proj: nn.Linear;
  constructor(c: TinyConfig) {
    super();
    this.gate_proj = new nn.Linear(c.hidden, c.intermediate, false);
    this.up_proj = new nn.Linear(c.hidden, c.intermediate, false);
    this.down_proj = new nn.Linear(c.intermediate, c.hidden, false);
  }
  override forward(x: mx.array): mx.array {
    const g = this.gate_proj.forward(x);
    return this.down_proj.forward(mx.multiply(mx.multiply(g, mx.sigmoid(g)), this.up_proj.forward(x)));
  }
}

class Block extends nn.Module {
  self_attn: Attention;
  mlp: Mlp;
  input_layernorm: nn.RMSNorm;
  post_attention_layernorm: nn.RMSNorm;
  constructor(c: TinyConfig) {
    super();
    this.self_attn = new Attention(c);
    this.mlp = new Mlp(c);
    this.input_layernorm = new nn.RMSNorm(c.hidden, 1e-6);
    this.post_attention_layernorm = new nn.RMSNorm(c.hidden, 1e-6);
  }
  override forward(x: mx.array, mask: mx.array): mx.array {
    const h = mx.add(x, this.self_attn.forward(this.input_layernorm.forward(x), mask));
    return mx.add(h, this.mlp.forward(this.post_attention_layernorm.forward(h)));
  }
}

class Inner extends nn.Module {
  embed_tokens: nn.Embedding;
  layers: Block[];
  norm: nn.RMSNorm;
  constructor(c: TinyConfig) {
    super();
    this.embed_tokens = new nn.Embedding(c.vocab, c.hidden);
    this.layers = Array.from({ length: c.layers }, () => new Block(c));
    this.norm = new nn.RMSNorm(c.hidden, 1e-6);
  }
  override forward(tokens: mx.array): mx.array {
    const t = tokens.shape[1]!;
    const pos = mx.arange(t);
    const mask = mx.where(mx.greater(pos.reshape(1, t), pos.reshape(t, 1)), -1e9, 0);
    let h = this.embed_tokens.forward(tokens);
    for (const layer of this.layers) h = layer.forward(h, mask);
    return this.norm.forward(h);
  }
}

/** `forward(tokens [B,T] int32) → logits [B,T,V] f32`, like the real architectures. */
export class TinyCausalLM extends nn.Module {
  model: Inner;
  lm_head: nn.Linear;
  _config: TinyConfig;
  constructor(config: TinyConfig = TINY) {
    super();
    this._config = config;
    this.model = new Inner(config);
    this.lm_head = new nn.Linear(config.hidden, config.vocab, false);
  }
  override forward(tokens: mx.array): mx.array {
    return this.lm_head.forward(this.model.forward(tokens));
  }
}

/** A seeded tiny model with evaluated parameters. */
export function tinyModel(seed = 0, config: TinyConfig = TINY): TinyCausalLM {
  mx.random.seed(seed);
  const model = new TinyCausalLM(config);
  mx.eval(model.parameters());
  return model;
}
