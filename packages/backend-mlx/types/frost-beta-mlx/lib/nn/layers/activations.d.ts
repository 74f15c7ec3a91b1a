import { core as mx } from '../../..';
import { Module } from './base';
/**
 * Applies the sigmoid function.
 *
 * @remarks
 *
 * ```math
 * \text{Sigmoid}(x) = \sigma(x) = \frac{1}{1 + \exp(-x)}
 * ```
 */
export declare const sigmoid: (x: mx.array) => mx.array;
/**
 * Applies the Rectified Linear Unit.
 *
 * @remarks
 *
 * Simply `mx.maximum(x, 0)`.
 */
export declare const relu: (x: mx.array) => mx.array;
/**
 * Applies the Leaky Rectified Linear Unit.
 *
 * @remarks
 *
 * Simply `mx.maximum(negativeSlope * x, x)`.
 */
export declare const leakyRelu: (x: mx.array, negativeSlope?: any) => mx.array;
/**
 * Applies the Log Softmax function.
 *
 * @remarks
 *
 * Applies `x + log(sum(e^x[i]))` element wise.
 */
export declare const logSoftmax: (x: mx.array, axis?: any) => mx.array;
/**
 * Applies the Exponential Linear Unit.
 *
 * @remarks
 *
 * Simply `mx.where(x > 0, x, alpha * (mx.exp(x) - 1))`.
 */
export declare const elu: (x: mx.array, alpha?: any) => mx.array;
/**
 * Applies the Rectified Linear Unit 6.
 *
 * @remarks
 *
 * Applies `min(max(x, 0), 6.0)` element wise.
 */
export declare const relu6: (x: mx.array) => mx.array;
/**
 * Applies the Softmax function.
 *
 * @remarks
 *
 * Applies `mx.exp(x_i) / mx.sum(mx.exp(x_j))` element wise.
 */
export declare const softmax: (x: mx.array, axis?: any) => mx.array;
/**
 * Applies the Softplus function.
 *
 * @remarks
 *
 * Applies `mx.log(1 + mx.exp(x))` element wise.
 */
export declare const softplus: (x: mx.array) => mx.array;
/**
 * Applies the Softsign function.
 *
 * @remarks
 *
 * Applies `x / (1 + mx.abs(x))` element wise.
 */
export declare const softsign: (x: mx.array) => mx.array;
/**
 * Applies the Softshrink activation function.
 *
 * @remarks
 *
 * ```math
 * \text{softshrink}(x) = \begin{cases}
 * x - \lambda & \text{if } x > \lambda \\
 * x + \lambda & \text{if } x < -\lambda \\
 * 0 & \text{otherwise}
 * \end{cases}
 * ```
 */
export declare const softshrink: (x: mx.array, lambd?: number) => mx.array;
/**
 * Applies the Continuously Differentiable Exponential Linear Unit.
 *
 * @remarks
 *
 * Applies `max(0, x) + min(0, alpha * (exp(x / alpha) - 1))` element wise.
 */
export declare const celu: (x: mx.array, alpha?: any) => mx.array;
/**
 * Applies the Sigmoid Linear Unit. Also known as Swish.
 *
 * @remarks
 *
 * Applies `x * mx.sigmoid(x)` element wise, where `mx.sigmoid(x)`
 * is the logistic sigmoid.
 */
export declare const silu: (x: mx.array) => mx.array;
/**
 * Applies the Log Sigmoid function.
 *
 * @remarks
 *
 * Applies `log(sigma(x)) = -log(1 + e^{-x})` element wise.
 */
export declare const logSigmoid: (x: mx.array) => mx.array;
/**
 * Applies the Gaussian Error Linear Units function.
 *
 * @remarks
 *
 * The computation is done by:
 *
 * ```math
 * \textrm{GELU}(x) = x * \Phi(x)
 * ```
 *
 * where `phi(x)` is the Gaussian CDF.
 */
export declare const gelu: (x: mx.array) => mx.array;
/**
 * An approximation to Gaussian Error Linear Unit.
 *
 * @remarks
 *
 * This function approximates `gelu` with a maximum absolute error `<
 * 0.0005` in the range `[-6, 6]` using the following formula:
 *
 * ```math
 * x = 0.5 * x * \left(1 + \text{Tanh}\left((\sqrt{2 / \pi} * \left(x + 0.044715 * x^3\right)\right)\right)
 * ```
 */
export declare const geluApprox: (x: mx.array) => mx.array;
/**
 * A fast approximation to Gaussian Error Linear Unit.
 *
 * @remarks
 *
 * This function approximates `gelu` with a maximum absolute error :`<
 * 0.015` in the range :`[-6, 6]` using the following.
 *
 * ```math
 * x = x \sigma\left(1.702 x\right)
 * ```
 *
 * where `\sigma(\cdot)` is the logistic sigmoid.
 *
 * References:
 * - https://github.com/hendrycks/GELUs
 * - https://arxiv.org/abs/1606.08415
 */
export declare const geluFastApprox: (x: mx.array) => mx.array;
/**
 * Applies the gated linear unit function.
 *
 * @remarks
 *
 * This function splits the `axis` dimension of the input into two halves
 * (`a` and `b`) and applies `a * \sigma(b)`.
 *
 * @param axis - The dimension to split along. Default: `-1`
 */
export declare function glu(x: mx.array, axis?: number): mx.array;
/**
 * Applies the Step Activation Function.
 *
 * @remarks
 *
 * This function implements a binary step activation, where the output is set
 * to 1 if the input is greater than a specified threshold, and 0 otherwise.
 *
 * ```math
 * \text{step}(x) = \begin{cases}
 * 0 & \text{if } x < \text{threshold} \\
 * 1 & \text{if } x \geq \text{threshold}
 * \end{cases}
 *
 * @param threshold - The value to threshold at.
 */
export declare const step: (x: mx.array, threshold?: any) => mx.array;
/**
 * Applies the Scaled Exponential Linear Unit.
 *
 * @remarks
 *
 * ```math
 * \text{selu}(x) = \begin{cases}
 * \lambda x & \text{if } x > 0 \\
 * \lambda \alpha (\exp(x) - 1) & \text{if } x \leq 0
 * \end{cases}
 * ```
 *
 * where `lambda = 1.0507` and `alpha = 1.67326`.
 */
export declare const selu: (x: mx.array) => mx.array;
/**
 * Applies the element-wise parametric ReLU.
 *
 * @remarks
 *
 * ```math
 * \text{PReLU}(x) = \max(0,x) + a * \min(0,x)
 * ```
 *
 * where `a` is an array.
 */
export declare const prelu: (x: mx.array, alpha: mx.array) => mx.array;
/**
 * Applies the Mish function, element-wise.
 *
 * @remarks
 *
 * Mish: A Self Regularized Non-Monotonic Neural Activation Function.
 *
 * Reference: https://arxiv.org/abs/1908.08681
 *
 * ```math
 * \text{Mish}(x) = x * \text{Tanh}(\text{Softplus}(x))
 * ```
 */
export declare const mish: (x: mx.array) => mx.array;
/**
 * Applies the hardswish function, element-wise.
 *
 * @remarks
 *
 * ```math
 * \text{Hardswish}(x) = x * \min(\max(x + 3, 0), 6) / 6
 * ```
 */
export declare const hardswish: (x: mx.array) => mx.array;
/**
 * Applies the hyperbolic tangent function.
 *
 * @remarks
 *
 * Simply `mx.tanh(x)`.
 */
export declare function tanh(x: mx.array): mx.array;
/**
 * Applies the gated linear unit function.
 *
 * @remarks
 *
 * This function splits the `axis` dimension of the input into two halves
 * (`a` and `b`) and applies `a * \sigma(b)`.
 *
 * ```math
 * \textrm{GLU}(x) = a * \sigma(b)
 * ```
 *
 * @param axis - The dimension to split along. Default: `-1`
 */
export declare class GLU extends Module {
    axis: number;
    constructor(axis?: number);
    forward(x: mx.array): mx.array;
}
/**
 * Applies the sigmoid function, element-wise.
 *
 * @remarks
 *
 * ```math
 * \text{Sigmoid}(x) = \sigma(x) = \frac{1}{1 + \exp(-x)}
 * ```
 */
export declare class Sigmoid extends Module {
    forward(x: mx.array): mx.array;
}
/**
 * Applies the Mish function, element-wise.
 *
 * @remarks
 *
 * Reference: https://arxiv.org/abs/1908.08681
 *
 * ```math
 * \text{Mish}(x) = x * \text{Tanh}(\text{Softplus}(x))
 * ```
 */
export declare class Mish extends Module {
    forward(x: mx.array): mx.array;
}
/**
 * Applies the Rectified Linear Unit.
 *
 * @remarks
 *
 * Simply `mx.maximum(x, 0)`.
 */
export declare class ReLU extends Module {
    forward(x: mx.array): mx.array;
}
/**
 * Applies the Leaky Rectified Linear Unit.
 *
 * Simply `mx.maximum(negativeSlope * x, x)`.
 *
 * @param negativeSlope - Controls the angle of the negative slope. Default: `1e-2`
 */
export declare class LeakyReLU extends Module {
    negativeSlope: number;
    constructor(negativeSlope?: number);
    forward(x: mx.array): mx.array;
}
/**
 * Applies the Exponential Linear Unit.
 *
 * Simply `mx.where(x > 0, x, alpha * (mx.exp(x) - 1))`.
 *
 * @param alpha - The `alpha` value for the ELU formulation. Default: `1.0`
 */
export declare class ELU extends Module {
    alpha: number;
    constructor(alpha?: number);
    forward(x: mx.array): mx.array;
}
/**
 * Applies the Rectified Linear Unit 6.
 */
export declare class ReLU6 extends Module {
    forward(x: mx.array): mx.array;
}
/**
 * Applies the Softmax function.
 */
export declare class Softmax extends Module {
    forward(x: mx.array): mx.array;
}
/**
 * Applies the Softplus function.
 */
export declare class Softplus extends Module {
    forward(x: mx.array): mx.array;
}
/**
 * Applies the Softsign function.
 */
export declare class Softsign extends Module {
    forward(x: mx.array): mx.array;
}
/**
 * Applies the Softshrink function.
 *
 * @param lambd - The `lambda` value for Softshrink. Default: `0.5`.
 */
export declare class SoftShrink extends Module {
    lambd: number;
    constructor(lambd?: number);
    forward(x: mx.array): mx.array;
}
/**
 * Applies the Continuously Differentiable Exponential Linear Unit.
 *
 * @remarks
 *
 * Applies `max(0, x) + min(0, alpha * (exp(x / alpha) - 1))` element wise.
 *
 * @param alpha - The `alpha` value for the CELU formulation. Default: `1.0`.
 */
export declare class CELU extends Module {
    alpha: number;
    constructor(alpha?: number);
    forward(x: mx.array): mx.array;
}
/**
 * Applies the Sigmoid Linear Unit. Also known as Swish.
 */
export declare class SiLU extends Module {
    forward(x: mx.array): mx.array;
}
/**
 * Applies the Log Softmax function.
 */
export declare class LogSoftmax extends Module {
    forward(x: mx.array): mx.array;
}
/**
 * Applies the Log Sigmoid function.
 */
export declare class LogSigmoid extends Module {
    forward(x: mx.array): mx.array;
}
/**
 * Applies the element-wise parametric ReLU.
 *
 * @remarks
 *
 * Applies `max(0, x) + a * min(0, x)` element wise, where `a`
 * is an array.
 */
export declare class PReLU extends Module {
    weight: mx.array;
    constructor(numParameters?: number, init?: number);
    forward(x: mx.array): mx.array;
}
/**
 * Applies the Gaussian Error Linear Units.
 *
 * @remarks
 *
 * ```math
 * GELU(x) = x * \Phi(x)
 * ```
 *
 * where `\Phi(x)` is the Gaussian CDF.
 *
 * However, if `approx` is set to 'precise' or 'fast' it applies
 *
 * ```math
 * GELUApprox(x) = 0.5 * x * (1 + Tanh((sqrt(2 / \pi) * (x + 0.044715 * x^3)))
 * GELUFast(x) = x * \sigma(1.773 * x)
 * ```
 *
 * respectively.
 *
 * @param approx - Which approximation to gelu to use if any. Choices: `'none' | 'precise' | 'fast'`
 */
export declare class GELU extends Module {
    private act;
    constructor(approx?: 'none' | 'precise' | 'fast');
    forward(x: mx.array): mx.array;
}
/**
 * Applies the hyperbolic tangent function.
 */
export declare class Tanh extends Module {
    forward(x: mx.array): mx.array;
}
/**
 * Applies the hardswish function, element-wise.
 */
export declare class Hardswish extends Module {
    forward(x: mx.array): mx.array;
}
/**
 * Applies the Step Activation Function.
 *
 * @remarks
 *
 * This function implements a binary step activation, where the output is set
 * to 1 if the input is greater than a specified threshold, and 0 otherwise.
 *
 * ```math
 * \text{step}(x) =
 * \begin{cases}
 * 0 & \text{if } x < \text{threshold} \\
 * 1 & \text{if } x \geq \text{threshold}
 * \end{cases}
 * ```
 *
 * @param threshold - The value to threshold at.
 */
export declare class Step extends Module {
    threshold: number;
    constructor(threshold?: number);
    forward(x: mx.array): mx.array;
}
/**
 * Applies the Scaled Exponential Linear Unit.
 */
export declare class SELU extends Module {
    forward(x: mx.array): mx.array;
}
