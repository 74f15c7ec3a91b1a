import { core as mx } from '../../..';
import { Module } from './base';
/**
 * An Elman recurrent layer.
 *
 * @remarks
 *
 * The input is a sequence of shape `NLD` or `LD` where:
 * * `N` is the optional batch dimension
 * * `L` is the sequence length
 * * `D` is the input's feature dimension
 *
 * Concretely, for each element along the sequence length axis, this layer
 * applies the function:
 *
 * ```math
 * h_{t + 1} = \text{tanh} (W_{ih}x_t + W_{hh}h_t + b)
 * ```
 *
 * The hidden state `h` has shape `NH` or `H`, depending on whether the input is
 * batched or not. Returns the hidden state at each time step, of shape `NLH` or
 * `LH`.
 *
 * @param inputDims - Dimension of the input, `D`.
 * @param hiddenDims - Dimension of the hidden state, `H`.
 * @param bias - Whether to use a bias. Default: `true`.
 * @param nonlinearity - Non-linearity to use. If `null`, then func:`tanh` is
 * used. Default: `null`.
 */
export declare class RNN extends Module {
    nonlinearity: (x: mx.array) => mx.array;
    hiddenDims: number;
    Wxh: mx.array;
    Whh: mx.array;
    bias?: mx.array;
    constructor(inputDims: number, hiddenDims: number, bias?: boolean, nonlinearity?: (x: mx.array) => mx.array | null);
    toStringExtra(): string;
    forward(x: mx.array, hidden?: mx.array): mx.array;
}
/**
 * A gated recurrent unit (GRU) RNN layer.
 *
 * @remarks
 *
 * The input has shape `NLD` or `LD` where:
 * * `N` is the optional batch dimension
 * * `L` is the sequence length
 * * `D` is the input's feature dimension
 *
 * Concretely, for each element of the sequence, this layer computes:
 *
 * ```math
 * \begin{aligned}
 * r_t &= \sigma (W_{xr}x_t + W_{hr}h_t + b_{r}) \\
 * z_t &= \sigma (W_{xz}x_t + W_{hz}h_t + b_{z}) \\
 * n_t &= \text{tanh}(W_{xn}x_t + b_{n} + r_t \odot (W_{hn}h_t + b_{hn})) \\
 * h_{t + 1} &= (1 - z_t) \odot n_t + z_t \odot h_t
 * \end{aligned}
 * ```
 *
 * The hidden state `h` has shape `NH` or `H` depending on whether the input is
 * batched or not. Returns the hidden state at each time step of shape `NLH` or
 * `LH`.
 *
 * @param inputDims - Dimension of the input, `D`.
 * @param hiddenDims - Dimension of the hidden state, `H`.
 * @param bias - Whether to use biases or not. Default: `true`.
 */
export declare class GRU extends Module {
    hiddenDims: number;
    Wx: mx.array;
    Wh: mx.array;
    b?: mx.array;
    bhn?: mx.array;
    constructor(inputDims: number, hiddenDims: number, bias?: boolean);
    toStringExtra(): string;
    forward(x: mx.array, hidden?: mx.array): mx.array;
}
/**
 * An LSTM recurrent layer.
 *
 * @remarks
 *
 * The input has shape `NLD` or `LD` where:
 *
 * * `N` is the optional batch dimension
 * * `L` is the sequence length
 * * `D` is the input's feature dimension
 *
 * Concretely, for each element of the sequence, this layer computes:
 *
 * ```math
 * \begin{aligned}
 * i_t &= \sigma (W_{xi}x_t + W_{hi}h_t + b_{i}) \\
 * f_t &= \sigma (W_{xf}x_t + W_{hf}h_t + b_{f}) \\
 * g_t &= \text{tanh} (W_{xg}x_t + W_{hg}h_t + b_{g}) \\
 * o_t &= \sigma (W_{xo}x_t + W_{ho}h_t + b_{o}) \\
 * c_{t + 1} &= f_t \odot c_t + i_t \odot g_t \\
 * h_{t + 1} &= o_t \text{tanh}(c_{t + 1})
 * \end{aligned}
 * ```
 *
 * The hidden state `h` and cell state `c` have shape `NH` or `H`, depending on
 * whether the input is batched or not.
 *
 * The layer returns two arrays, the hidden state and the cell state at each
 * time step, both of shape `NLH` or `LH`.
 *
 * @param inputDims - Dimension of the input, `D`.
 * @param hiddenDims - Dimension of the hidden state, `H`.
 * @param bias - Whether to use biases or not. Default: `true`.
 */
export declare class LSTM extends Module {
    hiddenDims: number;
    Wx: mx.array;
    Wh: mx.array;
    bias?: mx.array;
    constructor(inputDims: number, hiddenDims: number, bias?: boolean);
    toStringExtra(): string;
    forward(x: mx.array, hidden?: mx.array, cell?: mx.array): [mx.array, mx.array];
}
