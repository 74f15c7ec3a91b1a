import { core as mx } from '../../..';
import { Module } from './base';
/**
 * Applies a 1-dimensional convolution over the multi-channel input sequence.
 *
 * @remarks
 *
 * The channels are expected to be last i.e. the input shape should be `NLC`
 * where:
 *  - `N` is the batch dimension
 *  - `L` is the sequence length
 *  - `C` is the number of input channels
 *
 * @param inChannels - The number of input channels
 * @param outChannels - The number of output channels
 * @param kernelSize - The size of the convolution filters
 * @param stride - The stride when applying the filter. Default: 1.
 * @param padding - How many positions to 0-pad the input with. Default: 0.
 * @param dilation - The dilation of the convolution.
 * @param bias - If `true` add a learnable bias to the output. Default: `true`
 */
export declare class Conv1d extends Module {
    stride: number;
    padding: number;
    dilation: number;
    weight: mx.array;
    bias?: mx.array;
    constructor(inChannels: number, outChannels: number, kernelSize: number, stride?: number, padding?: number, dilation?: number, bias?: boolean);
    toStringExtra(): string;
    forward(x: mx.array): mx.array;
}
/**
 * Applies a 2-dimensional convolution over the multi-channel input image.
 *
 * @remarks
 *
 * The channels are expected to be last i.e. the input shape should be `NHWC`
 * where:
 * - `N` is the batch dimension
 * - `H` is the input image height
 * - `W` is the input image width
 * - `C` is the number of input channels
 *
 * @param inChannels - The number of input channels.
 * @param outChannels - The number of output channels.
 * @param kernelSize - The size of the convolution filters.
 * @param stride - The size of the stride when applying the filter. Default: 1.
 * @param padding - How many positions to 0-pad the input with. Default: 0.
 * @param dilation - The dilation of the convolution.
 * @param bias - If `true` add a learnable bias to the output. Default: `true`
 */
export declare class Conv2d extends Module {
    stride: number[];
    padding: number[];
    dilation: number | number[];
    weight: mx.array;
    bias?: mx.array;
    constructor(inChannels: number, outChannels: number, kernelSize: number | number[], stride?: number | number[], padding?: number | number[], dilation?: number | number[], bias?: boolean);
    toStringExtra(): string;
    forward(x: mx.array): mx.array;
}
/**
 * Applies a 3-dimensional convolution over the multi-channel input image.
 *
 * @remarks
 *
 * The channels are expected to be last i.e. the input shape should be `NDHWC`
 * where:
 * - `N` is the batch dimension
 * - `D` is the input image depth
 * - `H` is the input image height
 * - `W` is the input image width
 * - `C` is the number of input channels
 *
 * @param inChannels - The number of input channels.
 * @param outChannels - The number of output channels.
 * @param kernelSize - The size of the convolution filters.
 * @param stride - The size of the stride when applying the filter. Default: 1.
 * @param padding - How many positions to 0-pad the input with. Default: 0.
 * @param bias - If `true` add a learnable bias to the output. Default: `true`
 */
export declare class Conv3d extends Module {
    stride: number[];
    padding: number[];
    weight: mx.array;
    bias?: mx.array;
    constructor(inChannels: number, outChannels: number, kernelSize: number | number[], stride?: number | number[], padding?: number | number[], bias?: boolean);
    toStringExtra(): string;
    forward(x: mx.array): mx.array;
}
