import { core as mx } from '../../..';
import { Module } from './base';
import { QuantizedLinear } from './quantized';
/**
 * A placeholder identity operator that is argument-insensitive.
 *
 * @remarks
 *
 * It does not matter what arguments are passed to the constructor.
 */
export declare class Identity extends Module {
    constructor(...args: unknown[]);
    forward(x: mx.array): mx.array;
}
/**
 * Applies an affine transformation to the input.
 *
 * @remarks
 *
 * Concretely:
 *
 * ```math
 * y = x W^\top + b
 * ```
 *
 * where `W` has shape `[outputDims, inputDims]` and `b` has shape `[outputDims]`.
 *
 * The values are initialized from the uniform distribution U(-k, k),
 * where k = 1/sqrt(Di) and Di is equal to `inputDims`.
 *
 * @param inputDims - The dimensionality of the input features.
 * @param outputDims - The dimensionality of the output features.
 * @param bias - If set to `false` then the layer will not use a bias. Default is `true`.
 */
export declare class Linear extends Module {
    weight: mx.array;
    bias?: mx.array;
    constructor(inputDims: number, outputDims: number, bias?: boolean);
    toStringExtra(): string;
    forward(x: mx.array): mx.array;
    /**
     * Return a `QuantizedLinear` layer that approximates this layer.
     */
    toQuantized(groupSize?: number, bits?: number): QuantizedLinear;
}
/**
 * Applies a bilinear transformation to the inputs.
 *
 * @remarks
 *
 * Concretely:
 *
 * ```math
 * y_i = x_1^\top W_i x_2 + b_i
 * ```
 *
 * where `W` has shape `[outputDims, input1Dims, input2Dims]`, `b` has shape `[outputDims]`,
 * and `i` indexes the output dimension.
 *
 * The values are initialized from the uniform distribution U(-k, k),
 * where `k = 1/sqrt(D1)` and `D1` is `input1Dims`.
 *
 * @param input1Dims - The dimensionality of the input1 features.
 * @param input2Dims - The dimensionality of the input2 features.
 * @param outputDims - The dimensionality of the output features.
 * @param bias - If set to `false` then the layer will not use a bias. Default is `true`.
 */
export declare class Bilinear extends Module {
    weight: mx.array;
    bias?: mx.array;
    constructor(input1Dims: number, input2Dims: number, outputDims: number, bias?: boolean);
    toStringExtra(): string;
    forward(x1: mx.array, x2: mx.array): mx.array;
}
