import { core as mx } from '../../..';
import { Module } from './base';
/**
 * Randomly zero a portion of the elements during training.
 *
 * @remarks
 *
 * The remaining elements are multiplied with `\frac{1}{1-p}` where `p` is the
 * probability of zeroing an element. This is done so the expected value of a
 * given element will remain the same.
 *
 * @param p - The probability to zero an element
 */
export declare class Dropout extends Module {
    #private;
    constructor(p?: number);
    toStringExtra(): string;
    forward(x: mx.array): mx.array;
}
/**
 * Apply 2D channel-wise dropout during training.
 *
 * @remarks
 *
 * Randomly zero out entire channels independently with probability `p`. This
 * layer expects the channels to be last, i.e. the input shape should be `NWHC`
 * or `WHC` where `N` is the batch dimension, `H` is the input image height, `W`
 * is the input image width, and `C` is the number of input channels.
 *
 * The remaining channels are scaled by `\frac{1}{1-p}` to maintain the expected
 * value of each element. Unlike traditional dropout, which zeros individual
 * entries, this layer zeros entire channels. This is beneficial for early
 * convolution layers where adjacent pixels are correlated. In such case,
 * traditional dropout may not effectively regularize activations.
 *
 * For more details, see: Thompson, J., Goroshin, R., Jain, A., LeCun, Y. and
 * Bregler C., 2015. Efficient Object Localization Using Convolutional Networks.
 * CVPR 2015.
 *
 * @param p - Probability of zeroing a channel during training.
 */
export declare class Dropout2d extends Module {
    #private;
    constructor(p?: number);
    toStringExtra(): string;
    forward(x: mx.array): mx.array;
}
/**
 * Apply 3D channel-wise dropout during training.
 *
 * @remarks
 *
 * Randomly zero out entire channels independently with probability `p`. This
 * layer expects the channels to be last, i.e., the input shape should be
 * `NDHWC` or `DHWC` where: `N` is the batch dimension, `D` is the depth, `H` is
 * the input image height, `W` is the input image width, and `C` is the number
 * of input channels.
 *
 * The remaining channels are scaled by `\frac{1}{1-p}` to maintain the expected
 * value of each element. Unlike traditional dropout, which zeros individual
 * entries, this layer zeros entire channels. This is often beneficial for
 * convolutional layers processing 3D data, like in medical imaging or video
 * processing.
 *
 * @param p - Probability of zeroing a channel during training.
 */
export declare class Dropout3d extends Module {
    #private;
    constructor(p?: number);
    toStringExtra(): string;
    forward(x: mx.array): mx.array;
}
