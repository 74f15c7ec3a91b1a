import { core as mx } from '../../..';
import { Module } from './base';
declare class Pool extends Module {
    #private;
    constructor(poolingFunction: (x: mx.array, axes: number[]) => mx.array, kernelSize: number[], stride: number[], padding: [number, number][], paddingValue: number);
    toStringExtra(): string;
    forward(x: mx.array): mx.array;
}
declare class Pool1d extends Pool {
    constructor(poolingFunction: (x: mx.array, axes: number[]) => mx.array, paddingValue: number, kernelSize: number | number[], stride?: number | number[] | null, padding?: number | number[]);
}
declare class Pool2d extends Pool {
    constructor(poolingFunction: (x: mx.array, axes: number[]) => mx.array, paddingValue: number, kernelSize: number | number[], stride?: number | number[] | null, padding?: number | number[]);
}
/**
 * Applies 1-dimensional max pooling.
 *
 * @remarks
 *
 * Assuming an input of shape `(N, L, C)` and `kernelSize` is `k`, the output is
 * a tensor of shape `(N, L_out, C)`, given by:
 *
 * `out(N_i, t, C_j) = max_{m=0,...,k-1} input(N_i, stride * t + m, C_j)`
 *
 * where `L_out = floor((L + 2 * padding - kernelSize) / stride) + 1`.
 *
 * @param kernelSize - The size of the pooling window kernel.
 * @param stride - The stride of the pooling window. Default: `kernelSize`.
 * @param padding - How much padding to apply to the input. The padding amount
 * is applied to both sides of the spatial axis. Default: `0`.
 */
export declare class MaxPool1d extends Pool1d {
    constructor(kernelSize: number | number[], stride?: number | number[] | null, padding?: number | number[]);
}
/**
 * Applies 1-dimensional average pooling.
 *
 * @remarks
 *
 * Assuming an input of shape `(N, L, C)` and `kernelSize` is `k`, the output is
 * a tensor of shape `(N, L_out, C)`, given by:
 *
 * `out(N_i, t, C_j) = 1/k * sum_{m=0,...,k-1} input(N_i, stride * t + m, C_j)`
 *
 * where `L_out = floor((L + 2 * padding - kernelSize) / stride) + 1`.
 *
 * @param kernelSize - The size of the pooling window kernel.
 * @param stride - The stride of the pooling window. Default: `kernelSize`.
 * @param padding - How much padding to apply to the input. The padding amount
 * is applied to both sides of the spatial axis. Default: `0`.
 */
export declare class AvgPool1d extends Pool1d {
    constructor(kernelSize: number | number[], stride?: number | number[] | null, padding?: number | number[]);
}
/**
 * Applies 2-dimensional max pooling.
 *
 * @remarks
 *
 * Assuming an input of shape `(N, H, W, C)` and `kernelSize` is `(k_H, k_W)`,
 * the output is a tensor of shape `(N, H_out, W_out, C)`, given by:
 *
 * `out(N_i, h, w, C_j) = max_{m=0,...,k_H-1} max_{n=0,...,k_W-1} input(N_i, stride[0] * h + m, stride[1] * w + n, C_j)`
 *
 * where `H_out = floor((H + 2 * padding[0] - kernelSize[0]) / stride[0]) + 1`
 *       `W_out = floor((W + 2 * padding[1] - kernelSize[1]) / stride[1]) + 1`
 *
 * The parameters `kernelSize`, `stride`, `padding`, can either be:
 *   - a single `number` -- in which case the same value is used for both the
 *     height and width axis;
 *   - a `tuple` of two `numbers`s -- in which case, the first `number` is used
 *     for the height axis, the second `number` for the width axis.
 *
 * @param kernelSize - The size of the pooling window.
 * @param stride - The stride of the pooling window. Default: `kernelSize`.
 * @param padding - How much padding to apply to the input. The padding is
 * applied on both sides of the height and width axis. Default: `0`.
 */
export declare class MaxPool2d extends Pool2d {
    constructor(kernelSize: number | number[], stride?: number | number[] | null, padding?: number | number[]);
}
/**
 * Applies 2-dimensional average pooling.
 *
 * @remarks
 *
 * Assuming an input of shape `(N, H, W, C)` and `kernelSize` is `(kH, kW)`,
 * the output is a tensor of shape `(N, H_out, W_out, C)`, given by:
 *
 * `out(N_i, h, w, C_j) = 1/(kH*kW) * sum_{m=0,...,kH-1} sum_{n=0,...,kW-1}
 *    input(N_i, stride[0] * h + m, stride[1] * w + n, C_j)`
 *
 * where `H_out = floor((H + 2 * padding[0] - kernelSize[0]) / stride[0]) + 1`,
 * `W_out = floor((W + 2 * padding[1] - kernelSize[1]) / stride[1]) + 1`.
 *
 * The parameters `kernelSize`, `stride`, `padding`, can either be:
 *
 * - a single `number` -- in which case the same value is used for both the
 *   height and width axis
 * - a `number[]` of two numbers -- in which case, the first number is used for
 *   the height axis, the second number for the width axis.
 *
 * @param kernelSize - The size of the pooling window.
 * @param stride - The stride of the pooling window. Default: `kernelSize`.
 * @param padding - How much zero padding to apply to the input. The padding is
 * applied on both sides of the height and width axis. Default: `0`.
 */
export declare class AvgPool2d extends Pool2d {
    constructor(kernelSize: number | number[], stride?: number | number[] | null, padding?: number | number[]);
}
export {};
