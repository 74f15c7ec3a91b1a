import { core as mx } from '../../..';
import { Module } from './base';
/**
 * Upsample the input signal spatially.
 *
 * @remarks
 *
 * The spatial dimensions are by convention dimensions `1` to `x.ndim - 2`. The
 * first is the batch dimension and the last is the feature dimension.
 *
 * For example, an audio signal would be 3D with 1 spatial dimension, an image
 * would be 4D with 2 and so on and so forth.
 *
 * There are three upsampling algorithms implemented: nearest neighbor
 * upsampling, linear interpolation, and cubic interpolation. All can be applied
 * to any number of spatial dimensions. The linear interpolation will be
 * bilinear, trilinear etc when applied to more than one spatial dimension. And
 * cubic interpolation will be bicubic when there are 2 spatial dimensions.
 *
 * When using one of the linear or cubic interpolation modes, the `alignCorners`
 * argument changes how the corners are treated in the input image. If
 * `alignCorners=true` then the top and left edge of the input and output will
 * be matching as will the bottom right edge.
 *
 * @param scaleFactor The multiplier for the spatial size.
 * @param mode The upsampling algorithm, either `"nearest"`, `"linear"` or
 * `"cubic"`. Default: `"nearest"`.
 * @param alignCorners it changes the way the corners are treated during
 * `"linear"` and `"cubic"` upsampling.
 */
export declare class Upsample extends Module {
    scaleFactor: number | number[];
    mode: string;
    alignCorners: boolean;
    constructor(scaleFactor: number | number[], mode?: 'nearest' | 'linear' | 'cubic', alignCorners?: boolean);
    toStringExtra(): string;
    forward(x: mx.array): mx.array;
}
export declare function upsampleNearest(x: mx.array, scaleFactor: number[]): mx.array;
export declare function upsampleLinear(x: mx.array, scaleFactor: number[], alignCorners?: boolean): mx.array;
export declare function upsampleCubic(x: mx.array, scaleFactor: number[], alignCorners?: boolean): mx.array;
