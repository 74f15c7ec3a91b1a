import { core as mx } from '../../..';
import { Module } from './base';
/**
 * Implements the rotary positional encoding.
 *
 * @remarks
 *
 * The traditional implementation rotates consecutive pairs of elements in the
 * feature dimension while the default implementation rotates pairs with
 * stride half the feature dimensions for efficiency.
 *
 * For more details see:
 * RoFormer: Enhanced Transformer with Rotary Position Embedding
 * https://arxiv.org/abs/2104.09864
 *
 * @param dims - The feature dimensions to be rotated. If the input feature
 * is larger than dims then the rest is left unchanged.
 * @param traditional - If set to `true` choose the traditional
 * implementation which is slightly less efficient. Default: `false`.
 * @param base - The base used to compute angular frequency for
 * each dimension in the positional encodings. Default: `10000`.
 * @param scale - The scale used to scale the positions. Default: `1.0`.
 */
export declare class RoPE extends Module {
    dims: number;
    traditional: boolean;
    base: number;
    scale: number;
    constructor(dims: number, traditional?: boolean, base?: number, scale?: number);
    toStringExtra(): string;
    forward(x: mx.array, offset?: number): mx.array;
}
/**
 * Implements sinusoidal positional encoding.
 *
 * @remarks
 *
 * For more details see the paper Attention Is All You Need:
 * https://arxiv.org/abs/1706.03762.
 *
 * @param dims - The dimensionality of the resulting positional embeddings.
 * @param minFreq - The minimum frequency expected. Default: `0.0001`.
 * @param maxFreq - The maximum frequency expected. Default: `1`.
 * @param scale - A multiplicative scale for the embeddings.
 * Default: `sqrt(dims//2)`.
 * @param cosFirst - If `true` embed using `[cos(x); sin(x)]`
 * instead of the reverse. Default: `false`.
 * @param fullTurns - If `true` multiply the frequencies with
 * `2 * Math.PI`. Default: `false`.
 */
export declare class SinusoidalPositionalEncoding extends Module {
    #private;
    scale: number;
    cosFirst: boolean;
    constructor(dims: number, minFreq?: number, maxFreq?: number, scale?: number | null, cosFirst?: boolean, fullTurns?: boolean);
    forward(x: mx.array): mx.array;
}
export declare class ALiBi extends Module {
    static maskKey: (number | mx.Dtype)[] | null;
    static mask: mx.array | null;
    static createAlibiMatrix(qSequenceLength: number, kSequenceLength: number, numHeads: number, offset: number, dtype?: mx.Dtype): mx.array;
    static createAlibiSlope(numHeads: any): mx.array;
    forward(attentionScores: mx.array, offset?: number, mask?: any): mx.array;
}
