import { core as mx } from '../../..';
import { Module } from './base';
import { QuantizedEmbedding } from './quantized';
/**
 * Implements a simple lookup table that maps each input integer to a
 * high-dimensional vector.
 *
 * Typically used to embed discrete tokens for processing by neural networks.
 */
export declare class Embedding extends Module {
    weight: mx.array;
    /**
     * Creates an instance of Embedding.
     *
     * @param numEmbeddings - How many possible discrete tokens can we embed.
     * Usually called the vocabulary size.
     * @param dims - The dimensionality of the embeddings.
     */
    constructor(numEmbeddings: number, dims: number);
    toStringExtra(): string;
    forward(x: mx.array): mx.array;
    /**
     * Calls the embedding layer as a linear layer.
     *
     * Use this for example when input embedding and output projection weights are tied.
     *
     * @param x - The input tensor.
     * @returns The output tensor.
     */
    asLinear(x: mx.array): mx.array;
    /**
     * Return a `QuantizedEmbedding` layer that approximates this embedding layer.
     */
    toQuantized(groupSize?: number, bits?: number): QuantizedEmbedding;
}
