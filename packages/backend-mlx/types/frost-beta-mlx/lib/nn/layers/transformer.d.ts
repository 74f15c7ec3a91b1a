import { core as mx } from '../../..';
import { Module } from './base';
import { Dropout } from './dropout';
import { Linear } from './linear';
import { LayerNorm } from './normalization';
/**
 * Implements the scaled dot product attention with multiple heads.
 *
 * @remarks
 *
 * Given inputs for queries, keys and values, the MultiHeadAttention produces
 * new values by aggregating information from the input values according to the
 * similarities of the input queries and keys.
 *
 * All inputs as well as the output are linearly projected, without biases by
 * default.
 *
 * MultiHeadAttention also takes an optional additive attention mask that should
 * be broadcastable with (batch, numHeads, # queries, # keys). The mask should
 * have `-Infinity` or very large negative numbers at the positions that should
 * *not* be attended to.
 *
 * @param dims The model dimensions. This is also the default value for the
 * queries, keys, values, and the output.
 * @param numHeads The number of attention heads to use.
 * @param queryInputDims The input dimensions of the queries. Default: `dims`.
 * @param keyInputDims The input dimensions of the keys. Default: `dims`.
 * @param valueInputDims The input dimensions of the values. Default:
 * `keyInputDims`.
 * @param valueDims The dimensions of the values after the projection. Default:
 * `dims`.
 * @param valueOutputDims The dimensions the new values will be projected to.
 * Default: `dims`.
 * @param bias Whether or not to use a bias in the projections. Default:
 * `false`.
 */
export declare class MultiHeadAttention extends Module {
    numHeads: number;
    queryProj: Linear;
    keyProj: Linear;
    valueProj: Linear;
    outProj: Linear;
    constructor(dims: number, numHeads: number, queryInputDims?: number | null, keyInputDims?: number | null, valueInputDims?: number | null, valueDims?: number | null, valueOutputDims?: number | null, bias?: boolean);
    forward(queries: mx.array, keys: mx.array, values: mx.array, mask?: mx.array | null): mx.array;
    /**
     * Creates an additive causal mask.
     *
     * @param N The size of mask.
     * @param dtype The data type of mask.
     * @returns The mask of shape [N, N].
     */
    static createAdditiveCausalMask(N: number, dtype?: mx.Dtype): mx.array;
}
export declare class TransformerEncoderLayer extends Module {
    mlpDims: number;
    attention: MultiHeadAttention;
    ln1: LayerNorm;
    ln2: LayerNorm;
    linear1: Linear;
    linear2: Linear;
    dropout1: Dropout;
    dropout2: Dropout;
    activation: (x: mx.array) => mx.array;
    normFirst: boolean;
    constructor(dims: number, numHeads: number, mlpDims?: number | null, dropout?: number, activation?: (x: mx.array) => mx.array, normFirst?: boolean);
    forward(x: mx.array, mask: mx.array): mx.array;
}
export declare class TransformerEncoder extends Module {
    layers: TransformerEncoderLayer[];
    ln: LayerNorm;
    checkpoint: boolean;
    constructor(numLayers: number, dims: number, numHeads: number, mlpDims?: number | null, dropout?: number, activation?: (x: mx.array) => mx.array, normFirst?: boolean, checkpoint?: boolean);
    forward(x: mx.array, mask: mx.array): mx.array;
}
export declare class TransformerDecoderLayer extends Module {
    selfAttention: MultiHeadAttention;
    crossAttention: MultiHeadAttention;
    ln1: LayerNorm;
    ln2: LayerNorm;
    ln3: LayerNorm;
    linear1: Linear;
    linear2: Linear;
    dropout1: Dropout;
    dropout2: Dropout;
    dropout3: Dropout;
    activation: (x: mx.array) => mx.array;
    normFirst: boolean;
    constructor(dims: number, numHeads: number, mlpDims?: number | null, dropout?: number, activation?: (x: mx.array) => mx.array, normFirst?: boolean);
    forward(x: mx.array, memory: mx.array, xMask: mx.array, memoryMask: mx.array | null): mx.array;
}
export declare class TransformerDecoder extends Module {
    layers: TransformerDecoderLayer[];
    ln: LayerNorm;
    checkpoint: boolean;
    constructor(numLayers: number, dims: number, numHeads: number, mlpDims?: number | null, dropout?: number, activation?: (x: mx.array) => mx.array, normFirst?: boolean, checkpoint?: boolean);
    forward(x: mx.array, memory: mx.array, xMask: mx.array, memoryMask: mx.array | null): mx.array;
}
/**
 * Implements a standard Transformer model.
 *
 * @remarks
 *
 * The implementation is based on [Attention Is All You
 * Need](https://arxiv.org/abs/1706.03762).
 *
 * The Transformer model contains an encoder and a decoder. The encoder
 * processes the input sequence and the decoder generates the output sequence.
 * The interaction between encoder and decoder happens through the attention
 * mechanism.
 *
 * @param dims The number of expected features in the encoder/decoder inputs.
 * Default: `512`.
 * @param numHeads The number of attention heads. Default: `8`.
 * @param numEncoderLayers The number of encoder layers in the Transformer
 * encoder. Default: `6`.
 * @param numDecoderLayers The number of decoder layers in the Transformer
 * decoder. Default: `6`.
 * @param mlpDims The hidden dimension of the MLP block in each Transformer
 * layer. Defaults to `4 * dims` if not provided. Default: `null`.
 * @param dropout The dropout value for the Transformer encoder and decoder.
 * Dropout is used after each attention layer and the activation in the MLP
 * layer. Default: `0.0`.
 * @param activation The activation function for the MLP hidden layer.
 * Default: `mx.relu`.
 * @param customEncoder A custom encoder to replace the standard Transformer
 * encoder. Default: `null`.
 * @param customDecoder A custom decoder to replace the standard Transformer
 * decoder. Default: `null`.
 * @param normFirst If `true`, encoder and decoder layers will perform layer
 * normalization before attention and MLP operations, otherwise after.
 * Default: `true`.
 * @param checkpoint If `true` perform gradient checkpointing to reduce the
 * memory usage at the expense of more computation. Default: `false`.
 */
export declare class Transformer extends Module {
    encoder: TransformerEncoder;
    decoder: TransformerDecoder;
    constructor(dims?: number, numHeads?: number, numEncoderLayers?: number, numDecoderLayers?: number, mlpDims?: number | null, dropout?: number, activation?: (x: mx.array) => mx.array, customEncoder?: TransformerEncoder | null, customDecoder?: TransformerDecoder | null, normFirst?: boolean, checkpoint?: boolean);
    forward(src: mx.array, tgt: mx.array, srcMask: mx.array, tgtMask: mx.array, memoryMask: mx.array): mx.array;
}
