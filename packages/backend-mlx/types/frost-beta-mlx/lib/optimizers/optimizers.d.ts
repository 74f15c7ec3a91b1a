import { core as mx, nn } from '../..';
import { Nested } from '../utils';
/**
 * The base class for all optimizers. It allows us to implement an optimizer on
 * a per-parameter basis and apply it to a parameter tree.
 */
export declare abstract class Optimizer {
    #private;
    /**
     * Create an optimizer instance.
     *
     * @param schedulers - An optional dictionary of schedulers.
     */
    constructor(schedulers?: Record<string, (step: mx.array) => mx.array>);
    /**
     * Apply the gradients to the parameters of the model and update the model
     * with the new parameters.
     *
     * @param model - An MLX module to be updated.
     * @param gradients - A tree of gradients, most likely computed via
     * `mlx.nn.valueAndGrad`.
     */
    update(model: nn.Module, gradients: Nested<mx.array>): void;
    /**
     * Initialize the optimizer's state.
     *
     * @remarks
     *
     * This function can be used to initialize optimizers which have state (like
     * momentum in `SGD`). Using this method is optional as the optimizer will
     * initialize itself if the state is not yet set. However, there are some
     * cases where explicit initialization is useful in order to have access to
     * the `state` before the first call to `update`.
     *
     * @param parameters - A tree of parameters.
     *
     * @example
     * ```typescript
     * const optimizer = new optim.SGD({learningRate: 1e-1, momentum: 0.9});
     * const model = new nn.Linear(2, 2);
     * optimizer.init(model.trainableParameters());
     * console.log(Object.keys(optimizer.state)); // ['step', 'learningRate', 'weight', 'bias']
     * ```
     */
    init(parameters: Nested<mx.array>): void;
    /**
     * Initialize a single parameter of the optimizer's state.
     *
     * @remarks
     *
     * To be overridden by subclasses to implement each optimizer's state
     * initialization.
     *
     * @param parameter - A single parameter that will be optimized.
     */
    abstract initSingle(parameter: mx.array, state: Record<string, unknown>): void;
    /**
     * Apply an optimizer's update for a single parameter.
     *
     * @remarks
     *
     * To be overridden in subclasses to implement the optimizer's update.
     *
     * @param gradient - The parameter gradient.
     * @param parameter - The parameter to update.
     * @param state - The optimizer's state.
     */
    abstract applySingle(gradient: mx.array, parameter: mx.array, state: Record<string, unknown>): unknown;
    /**
     * Apply the gradients to the parameters and return the updated parameters.
     *
     * @remarks
     *
     * Can be used to update a model via `model.update(opt.applyGradients(grads, model))`
     * which is precisely how `update` is implemented.
     *
     * @param gradients - A Python tree of gradients.
     * @param parameters - A Python tree of parameters. It can be a superset of
     * the gradients. In that case the returned python tree will be of the same
     * structure as the gradients.
     */
    applyGradients(gradients: Nested<mx.array>, parameters: Nested<mx.array>): Nested<mx.array>;
    /**
     * The optimizer's state dictionary.
     */
    get state(): Record<string, unknown>;
    set state(state: Record<string, unknown>);
    get step(): mx.array;
    get learningRate(): mx.array;
    set learningRate(learningRate: number | mx.array);
    protected maybeSchedule(name: string, schedule: number | ((step: mx.array) => mx.array)): void;
}
/**
 * The stochastic gradient descent optimizer.
 *
 * @remarks
 *
 * Updates a parameter `w` with a gradient `g` as follows
 *
 * ```math
 * v_{t+1} &= \mu v_t + (1 - \tau) g_t \\
 * w_{t+1} &= w_t - \lambda v_{t+1}
 * ```
 *
 * @param learningRate The learning rate `\lambda`.
 * @param momentum The momentum strength `\mu`. Default: ``0``
 * @param weightDecay The weight decay (L2 penalty). Default: ``0``
 * @param dampening Dampening for momentum `\tau`. Default: ``0``
 * @param nesterov Enables Nesterov momentum. Default: ``False``
 */
export declare class SGD extends Optimizer {
    momentum: number;
    weightDecay: number;
    dampening: number;
    nesterov: boolean;
    constructor(learningRate: number | ((step: mx.array) => mx.array), momentum?: number, weightDecay?: number, dampening?: number, nesterov?: boolean);
    /**
     * Initialize optimizer state.
     */
    initSingle(parameter: mx.array, state: Record<string, mx.array>): void;
    /**
     * Performs the SGD parameter update and stores `v` in the
     * optimizer state.
     */
    applySingle(gradient: mx.array, parameter: mx.array, state: Record<string, mx.array>): mx.array;
}
/**
 * The RMSprop optimizer.
 *
 * Tieleman, T. and Hinton, G. 2012. Lecture 6.5-rmsprop, coursera: Neural networks for machine learning
 *
 * ```math
 * v_{t+1} &= \alpha v_t + (1 - \alpha) g_t^2 \\
 * w_{t+1} &= w_t - \lambda \frac{g_t}{\sqrt{v_{t+1}} + \epsilon}
 * ```
 *
 * @param learningRate The learning rate.
 * @param alpha The smoothing constant `\alpha`. Default: ``0.99``
 * @param eps The term `\epsilon` added to the denominator to improve numerical stability. Default: ``1e-8``
 */
export declare class RMSprop extends Optimizer {
    alpha: number;
    eps: number;
    constructor(learningRate: number | ((step: mx.array) => mx.array), alpha?: number, eps?: number);
    /**
     * Initialize optimizer state.
     */
    initSingle(parameter: mx.array, state: Record<string, mx.array>): void;
    /**
     * Performs the RMSprop parameter update and stores `v` in the optimizer state.
     */
    applySingle(gradient: mx.array, parameter: mx.array, state: Record<string, mx.array>): mx.array;
}
/**
 * The Adagrad optimizer.
 *
 * @remarks
 *
 * Our Adagrad implementation follows the original paper. In detail,
 *
 * Duchi, J., Hazan, E. and Singer, Y., 2011. Adaptive subgradient methods
 * for online learning and stochastic optimization. JMLR 2011.
 *
 * ```math
 * v_{t+1} &= v_t + g_t^2 \\
 * w_{t+1} &= w_t - \lambda \frac{g_t}{\sqrt{v_{t+1}} + \epsilon}
 * ```
 *
 * @param learningRate The learning rate `\lambda`.
 * @param eps The term `\epsilon` added to the
 * denominator to improve numerical stability. Default: ``1e-8``
 */
export declare class Adagrad extends Optimizer {
    eps: number;
    constructor(learningRate: number | ((step: mx.array) => mx.array), eps?: number);
    /**
     * Initialize optimizer state.
     */
    initSingle(parameter: mx.array, state: Record<string, mx.array>): void;
    /**
     * Performs the Adagrad parameter update and stores `v` in the
     * optimizer state.
     */
    applySingle(gradient: mx.array, parameter: mx.array, state: Record<string, mx.array>): mx.array;
}
/**
 * The AdaDelta optimizer with a learning rate [1].
 *
 * @remarks
 *
 * Our AdaDelta implementation follows the original paper. In detail,
 *
 * Zeiler, M.D., 2012. ADADELTA: an adaptive learning rate method.
 * arXiv preprint arXiv:1212.5701.
 *
 * ```math
 * v_{t+1} &= \rho v_t + (1 - \rho) g_t^2 \\
 * \Delta w_{t+1} &= \frac{\sqrt{u_t + \epsilon}}{\sqrt{v_{t+1} + \epsilon}} g_t \\
 * u_{t+1} &= \rho u_t + (1 - \rho) \Delta w_{t+1}^2 \\
 * w_{t+1} &= w_t - \lambda \Delta w_{t+1}
 * ```
 *
 * @param learningRate The learning rate `\lambda`.
 * @param rho The coefficient `\rho` used for computing a running average of squared gradients. Default: ``0.9``
 * @param eps The term `\epsilon` added to the denominator to improve numerical stability.Default: `1e-8`
 */
export declare class AdaDelta extends Optimizer {
    rho: number;
    eps: number;
    constructor(learningRate: number | ((step: mx.array) => mx.array), rho?: number, eps?: number);
    /**
     * Initialize optimizer state.
     */
    initSingle(parameter: mx.array, state: Record<string, mx.array>): void;
    /**
     * Performs the AdaDelta parameter update and stores `v` and `u` in the
     * optimizer state.
     */
    applySingle(gradient: mx.array, parameter: mx.array, state: Record<string, mx.array>): mx.array;
}
/**
 * The Adam optimizer.
 *
 * @remarks
 *
 * Our Adam implementation follows the original paper and omits the bias
 * correction in the first and second moment estimates. In detail,
 *
 * Kingma, D.P. and Ba, J., 2015. Adam: A method for stochastic optimization.
 * ICLR 2015.
 *
 * ```math
 * m_{t+1} &= \beta_1 m_t + (1 - \beta_1) g_t \\
 * v_{t+1} &= \beta_2 v_t + (1 - \beta_2) g_t^2 \\
 * w_{t+1} &= w_t - \lambda \frac{m_{t+1}}{\sqrt{v_{t+1} + \epsilon}}
 * ```
 *
 * @param learningRate The learning rate `\lambda`.
 * @param betas The coefficients `(\beta_1, \beta_2)` used for computing running
 * averages of the gradient and its square. Default: ``(0.9, 0.999)``
 * @param eps The term `\epsilon` added to the
 * denominator to improve numerical stability. Default: ``1e-8``
 */
export declare class Adam extends Optimizer {
    betas: number[];
    eps: number;
    constructor(learningRate: number | ((step: mx.array) => mx.array), betas?: number[], eps?: number);
    /**
     * Initialize optimizer state.
     */
    initSingle(parameter: mx.array, state: Record<string, mx.array>): void;
    /**
     * Performs the Adam parameter update and stores `v` and `m` in the optimizer
     * state.
     */
    applySingle(gradient: mx.array, parameter: mx.array, state: Record<string, mx.array>): mx.array;
}
/**
 * The AdamW optimizer.
 *
 * @remarks
 *
 * Following the above convention, in contrast with [1], we do not use bias
 * correction in the first and second moments for AdamW. We update the weights
 * with a weight_decay (`\lambda`) value:
 *
 * [1]: Loshchilov, I. and Hutter, F., 2019. Decoupled weight decay
 * regularization. ICLR 2019.
 *
 * ```math
 * m_{t+1} &= \beta_1 m_t + (1 - \beta_1) g_t \\
 * v_{t+1} &= \beta_2 v_t + (1 - \beta_2) g_t^2 \\
 * w_{t+1} &= w_t - \alpha (\frac{m_{t+1}}{\sqrt{v_{t+1} + \epsilon}} + \lambda w_t)
 * ```
 *
 * @param learningRate The learning rate `\alpha`.
 * @param betas The coefficients `(\beta_1, \beta_2)` used for computing running
 * averages of the gradient and its square. Default: ``(0.9, 0.999)``
 * @param eps The term `\epsilon` added to the
 * denominator to improve numerical stability. Default: ``1e-8``
 * @param weightDecay The weight decay `\lambda`.
 * Default: ``0``.
 */
export declare class AdamW extends Adam {
    weightDecay: number;
    constructor(learningRate: number | ((step: mx.array) => mx.array), betas?: number[], eps?: number, weightDecay?: number);
    /**
     * Performs the AdamW parameter update by modifying the parameters passed into
     * Adam.
     */
    applySingle(gradient: mx.array, parameter: mx.array, state: Record<string, mx.array>): mx.array;
}
/**
 * The Adamax optimizer, a variant of Adam based on the infinity norm.
 *
 * @remarks
 *
 * Our Adam implementation follows the original paper and omits the bias
 * correction in the first and second moment estimates. In detail,
 *
 * Kingma, D.P. and Ba, J., 2015. Adam: A method for stochastic
 * optimization. ICLR 2015.
 *
 * ```math
 * m_{t+1} &= \beta_1 m_t + (1 - \beta_1) g_t \\
 * v_{t+1} &= \max(\beta_2 v_t, |g_t|) \\
 * w_{t+1} &= w_t - \lambda \frac{m_{t+1}}{v_{t+1} + \epsilon}
 * ```
 *
 * @param learningRate The learning rate `\lambda`.
 * @param betas The coefficients `(\beta_1, \beta_2)` used for computing running
 * averages of the gradient and its square. Default: ``(0.9, 0.999)``
 * @param eps The term `\epsilon` added to the
 * denominator to improve numerical stability. Default: ``1e-8``
 */
export declare class Adamax extends Adam {
    constructor(learningRate: number | ((step: mx.array) => mx.array), betas?: number[], eps?: number);
    /**
     * Initialize optimizer state.
     */
    initSingle(parameter: mx.array, state: Record<string, mx.array>): void;
    /**
     * Performs the Adamax parameter update and stores `m` and `v` in the
     * optimizer state.
     */
    applySingle(gradient: mx.array, parameter: mx.array, state: Record<string, mx.array>): mx.array;
}
/**
 * The Lion optimizer.
 *
 * @remarks
 *
 * Since updates are computed through the sign operation, they tend to have
 * larger norm than for other optimizers such as SGD and Adam. We recommend a
 * learning rate that is 3-10x smaller than AdamW and a weight decay 3-10x
 * larger than AdamW to maintain the strength (lr * wd). Our Lion implementation
 * follows the original paper. In detail,
 *
 * Chen, X. Symbolic Discovery of Optimization Algorithms. arXiv preprint
 * arXiv:2302.06675.
 *
 * ```math
 * c_{t + 1} &= \beta_1 m_t + (1 - \beta_1) g_t \\
 * m_{t + 1} &= \beta_2 m_t + (1 - \beta_2) g_t \\
 * w_{t + 1} &= w_t - \eta (\text{sign}(c_t) + \lambda w_t)
 * ```
 *
 * @param learningRate - The learning rate `\eta`.
 * @param betas - The coefficients `(\beta_1, \beta_2)` used for computing the
 * gradient momentum and update direction. Default: ``(0.9, 0.99)``
 * @param weightDecay - The weight decay `\lambda`. Default: ``0.0``
 */
export declare class Lion extends Optimizer {
    betas: number[];
    weightDecay: number;
    constructor(learningRate: number | ((step: mx.array) => mx.array), betas?: number[], weightDecay?: number);
    /**
     * Initialize optimizer state.
     */
    initSingle(parameter: mx.array, state: Record<string, mx.array>): void;
    /**
     * Performs the Lion parameter update and stores `m` in the optimizer state.
     */
    applySingle(gradient: mx.array, parameter: mx.array, state: Record<string, mx.array>): mx.array;
}
/**
 * The Adafactor optimizer.
 *
 * @remarks
 *
 * Our Adafactor implementation follows the original paper:
 * Adafactor: Adaptive Learning Rates with Sublinear Memory Cost
 * https://arxiv.org/abs/1804.04235
 *
 * @param learningRate The learning rate.
 * @param eps The first term `\epsilon_1` added to the square of the gradients
 * to improve numerical stability and the second term `\epsilon_2` is used for
 * parameter scaling if ``parameterScale`` is set to ``True``. Default:
 * ``(1e-30, 1e-3)``.
 * @param clipThreshold Clips the unscaled update at `clipThreshold`. Default:
 * `1.0`.
 * @param decayRate Coefficient for the running average of the squared gradient.
 * Default: `-0.8`.
 * @param beta1 If set to a value bigger than zero then first moment will be
 * used. Default: `None`.
 * @param weightDecay The weight decay `\lambda`. Default: `0.0`.
 * @param scaleParameter If set to `True` the learning rate will be scaled by
 * `\max(\epsilon_1, \text{RMS}(w_{t-1}))`. Default: `True`.
 * @param relativeStep If set to `True` the `learningRate` will be ignored and
 * relative step size will be computed. Default: `True`.
 * @param warmupInit If set to `True` then the relative step size will be
 * calculated by the current step. Default: `False`.
 */
export declare class Adafactor extends Optimizer {
    eps: [number, number];
    clipThreshold: number;
    decayRate: number;
    beta1: number | null;
    weightDecay: number;
    scaleParameter: boolean;
    relativeStep: boolean;
    warmupInit: boolean;
    constructor(learningRate?: number | ((step: mx.array) => mx.array) | null, eps?: [number, number], clipThreshold?: number, decayRate?: number, beta1?: number | null, weightDecay?: number, scaleParameter?: boolean, relativeStep?: boolean, warmupInit?: boolean);
    /**
     * Initialize optimizer state.
     */
    initSingle(parameter: mx.array, state: Record<string, mx.array>): void;
    /**
     * Performs the Adafactor parameter and state update.
     */
    applySingle(gradient: mx.array, parameter: mx.array, state: Record<string, mx.array>): mx.array;
    private computeRMS;
    private computeLearningRate;
    private approximateExpMovingAvg;
}
/**
 * Clips the global norm of the gradients.
 *
 * @remarks
 *
 * This function ensures that the global norm of the gradients does not exceed
 * `maxNorm`. It scales down the gradients proportionally if their norm is
 * greater than `maxNorm`.
 *
 * Example:
 * ```typescript
 * const grads = {'w1': mx.array([2, 3]), 'w2': mx.array([1])};
 * const [clippedGrads, totalNorm] = clipGradNorm(grads, 2.0);
 * console.log(clippedGrads);
 * // {"w1": mx.array([...]), "w2": mx.array([...])}
 * ```
 *
 * @param grads A dictionary containing the gradient arrays.
 * @param maxNorm The maximum allowed global norm of the gradients.
 * @returns The possibly rescaled gradients and the original gradient norm.
 */
export declare function clipGradNorm(grads: Nested<mx.array>, maxNorm: number): [Nested<mx.array>, mx.array];
