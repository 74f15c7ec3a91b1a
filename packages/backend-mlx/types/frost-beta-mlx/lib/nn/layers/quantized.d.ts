import { core as mx } from '../../..';
import { Embedding } from './embedding';
import { Linear } from './linear';
import { Module } from './base';
/**
 * Quantize the sub-modules of a module according to a predicate.
 *
 * @remarks
 *
 * By default all `Linear` and `Embedding` layers will be quantized. Note also,
 * the module is updated in-place.
 * By default all layers that define a `toQuantized(group_size, bits)` method
 * will be quantized. Both `Linear` and `Embedding` layers will be quantized.
 * Note also, the module is updated in-place.
 *
 * @param model - The model whose leaf modules may be quantized.
 * @param groupSize - The quantization group size. Default: `64`.
 * @param bits - The number of bits per parameter. Default: `4`.
 * @param classPredicate - A function which receives the `Module` path and
 * `Module` itself and returns `true` if it should be quantized and `false`
 * otherwise. If `null`, then all layers that define a
 * `toQuantized(group_size, bits)` method are quantized. The path is converted
 * to snake_case for convenience. Default: `null`.
 */
export declare function quantize(model: Module, groupSize?: number, bits?: number, classPredicate?: (p: string, m: Module) => boolean): void;
/**
 * The same as `Embedding` but with a quantized weight matrix.
 *
 * @remarks
 *
 * `QuantizedEmbedding` also provides a `fromEmbedding` class method to convert
 * embedding layers to `QuantizedEmbedding` layers.
 */
export declare class QuantizedEmbedding extends Module {
    /**
     * Create a `QuantizedEmbedding` layer from an `Embedding` layer.
     */
    static fromEmbedding(embeddingLayer: Embedding, groupSize?: number, bits?: number): QuantizedEmbedding;
    groupSize: number;
    bits: number;
    numEmbeddings: number;
    dims: number;
    weight: mx.array;
    scales: mx.array;
    biases: mx.array;
    /**
     * Construct a new `QuantizedEmbedding` instance.
     *
     * @param numEmbeddings - How many possible discrete tokens can we embed.
     * Usually called the vocabulary size.
     * @param dims - The dimensionality of the embeddings.
     * @param groupSize - The group size to use for the quantized weight.
     * Default: `64`.
     * @param bits - The bit width to use for the quantized weight. Default: `4`.
     */
    constructor(numEmbeddings: number, dims: number, groupSize?: number, bits?: number);
    forward(x: mx.array): mx.array;
    /**
     * Call the quantized embedding layer as a quantized linear layer.
     *
     * @remarks
     *
     * Use this for example when input embedding and output projection weights are
     * tied.
     */
    asLinear(x: mx.array): mx.array;
    toStringExtra(): string;
}
/**
 * Applies an affine transformation to the input using a quantized weight
 * matrix.
 *
 * @remarks
 *
 * It is the quantized equivalent of `Linear`. For now its parameters are frozen
 * and will not be included in any gradient computation but this will probably
 * change in the future.
 *
 * `QuantizedLinear` also provides a classmethod `fromLinear` to convert linear
 * layers to `QuantizedLinear` layers.
 */
export declare class QuantizedLinear extends Module {
    /**
     * Create a `QuantizedLinear` layer from a `Linear` layer.
     */
    static fromLinear(linearLayer: Linear, groupSize?: number, bits?: number): QuantizedLinear;
    groupSize: number;
    bits: number;
    weight: mx.array;
    scales: mx.array;
    biases: mx.array;
    bias?: mx.array;
    /**
     * Construct a new `QuantizedLinear` instance.
     *
     * @param inDims - The dimensionality of the input features.
     * @param outDims - The dimensionality of the output features.
     * @param bias - If set to `false` then the layer will not use a bias.
     * Default: `true`.
     * @param groupSize - The group size to use for the quantized weight.
     * Default: `64`.
     * @param bits - The bit width to use for the quantized weight. Default: `4`.
     */
    constructor(inDims: number, outDims: number, bias?: boolean, groupSize?: number, bits?: number);
    toStringExtra(): string;
    forward(x: mx.array): mx.array;
    unfreeze(...args: any[]): this;
}
