import { core as mx } from '../..';
type Reduction = 'none' | 'mean' | 'sum';
/**
 * Computes the cross entropy loss.
 *
 * @param logits - The unnormalized logits.
 * @param targets - The ground truth values. These can be class indices or
 * probabilities for each class. If the `targets` are class indices, then
 * `targets` shape should match the `logits` shape with the `axis` dimension
 * removed. If the `targets` are probabilities (or one-hot encoded), then the
 * `targets` shape should be the same as the `logits` shape.
 * @param weights - Optional weights for each target. Default: `undefined`.
 * @param axis - The axis over which to compute softmax. Default: `-1`.
 * @param labelSmoothing - Label smoothing factor. Default: `0`.
 * @param reduction - Specifies the reduction to apply to the output: `'none'` |
 * `'mean'` | `'sum'`. Default: `'none'`.
 *
 * @returns The computed cross entropy loss.
 *
 * @example
 * ```typescript
 * import {core as mx, nn} from '@frost-beta/mlx';
 *
 * // Class indices as targets
 * const logits = mx.array([[2.0, -1.0], [-1.0, 2.0]]);
 * const targets = mx.array([0, 1]);
 * nn.losses.crossEntropy(logits, targets);
 * // array([0.0485873, 0.0485873], dtype=float32)
 *
 * // Probabilities (or one-hot vectors) as targets
 * logits = mx.array([[2.0, -1.0], [-1.0, 2.0]]);
 * targets = mx.array([[0.9, 0.1], [0.1, 0.9]]);
 * nn.losses.crossEntropy(logits, targets);
 * // array([0.348587, 0.348587], dtype=float32)
 * ```
 */
export declare function crossEntropy(logits: mx.array, targets: mx.array, weights?: mx.array, axis?: number, labelSmoothing?: number, reduction?: Reduction): mx.array;
/**
 * Computes the binary cross entropy loss.
 *
 * @param inputs - The predicted values. If `withLogits` is `true`, then
 * `inputs` are unnormalized logits. Otherwise, `inputs` are probabilities.
 * @param targets - The binary target values in {0, 1}.
 * @param withLogits - Whether `inputs` are logits. Default: `true`.
 * @param weights - Optional weights for each target. Default: `undefined`.
 * @param reduction - Specifies the reduction to apply to the output:
 * `'none'` | `'mean'` | `'sum'`. Default: `'mean'`.
 *
 * @returns The computed binary cross entropy loss.
 *
 * @example
 * ```typescript
 * import {core as mx, nn} from '@frost-beta/mlx';
 *
 * const logits = mx.array([0.105361, 0.223144, 1.20397, 0.916291]);
 * const targets = mx.array([0, 0, 1, 1]);
 * const loss = nn.losses.binaryCrossEntropy(logits, targets, 'mean');
 * // loss: array(0.539245, dtype=float32)
 *
 * const probs = mx.array([0.1, 0.1, 0.4, 0.4]);
 * const targets = mx.array([0, 0, 1, 1]);
 * const loss = nn.losses.binaryCrossEntropy(probs, targets, false, undefined, 'mean');
 * // loss: array(0.510826, dtype=float32)
 * ```
 */
export declare function binaryCrossEntropy(inputs: mx.array, targets: mx.array, weights?: mx.array, withLogits?: boolean, reduction?: Reduction): mx.array;
/**
 * Computes the L1 loss.
 *
 * @param predictions - The predicted values.
 * @param targets - The target values.
 * @param reduction - Specifies the reduction to apply to the output:
 * `'none'` | `'mean'` | `'sum'`. Default: `'mean'`.
 *
 * @returns The computed L1 loss.
 */
export declare function l1Loss(predictions: mx.array, targets: mx.array, reduction?: Reduction): mx.array;
/**
 * Computes the mean squared error loss.
 *
 * @param predictions - The predicted values.
 * @param targets - The target values.
 * @param reduction - Specifies the reduction to apply to the output:
 * `'none'` | `'mean'` | `'sum'`. Default: `'mean'`.
 *
 * @returns The computed mean squared error loss.
 */
export declare function mseLoss(predictions: mx.array, targets: mx.array, reduction?: Reduction): mx.array;
/**
 * Computes the negative log likelihood loss.
 *
 * @param inputs - The predicted distribution in log space.
 * @param targets - The target values.
 * @param axis - The distribution axis. Default: `-1`.
 * @param reduction - Specifies the reduction to apply to the output:
 * `'none'` | `'mean'` | `'sum'`. Default: `'none'`.
 *
 * @returns The computed NLL loss.
 *
 */
export declare function nllLoss(inputs: mx.array, targets: mx.array, axis?: number, reduction?: Reduction): mx.array;
/**
 * Computes the negative log likelihood loss for a Gaussian distribution.
 *
 * @remarks
 *
 * The loss is given by:
 *
 * ```math
 * \frac{1}{2}\left(\log\left(\max\left(\text{vars},
 * \ \epsilon\right)\right) + \frac{\left(\text{inputs} - \text{targets} \right)^2}
 * {\max\left(\text{vars}, \ \epsilon \right)}\right) + \text{const.}
 * ```
 *
 * where `inputs` are the predicted means and `vars` are the predicted variances.
 *
 * @param inputs - The predicted expectation of the Gaussian distribution.
 * @param targets - The target values (samples from the Gaussian distribution).
 * @param vars - The predicted variance of the Gaussian distribution.
 * @param full - Whether to include the constant term in the loss calculation.
 *   Default: `false`.
 * @param eps - Small positive constant for numerical stability. Default: `1e-6`.
 * @param reduction - Specifies the reduction to apply to the output:
 * `'none'` | `'mean'` | `'sum'`. Default: `'none'`.
 *
 * @returns The Gaussian NLL loss.
 */
export declare function gaussianNllLoss(inputs: mx.array, targets: mx.array, vars: mx.array, full?: boolean, eps?: number, reduction?: Reduction): mx.array;
/**
 * Computes the Kullback-Leibler divergence loss.
 *
 * @remarks
 *
 * Computes the following when `reduction == 'none'`:
 *
 * ```typescript
 * mx.multiply(mx.exp(targets), mx.subtract(targets, inputs)).sum(axis)
 * ```
 *
 * @param inputs - Log probabilities for the predicted distribution.
 * @param targets - Log probabilities for the target distribution.
 * @param axis - The distribution axis. Default: `-1`.
 * @param reduction - Specifies the reduction to apply to the output:
 * `'none'` | `'mean'` | `'sum'`. Default: `'none'`.
 *
 * @returns The computed Kullback-Leibler divergence loss.
 */
export declare function klDivLoss(inputs: mx.array, targets: mx.array, axis?: number, reduction?: Reduction): mx.array;
/**
 * Computes the smooth L1 loss.
 *
 * @remarks
 *
 * The smooth L1 loss is a variant of the L1 loss which replaces the absolute
 * difference with a squared difference when the absolute difference is less
 * than `beta`.
 *
 * The formula for the smooth L1 Loss is:
 *
 * ```math
 * l = \begin{cases}
 *       0.5 (x - y)^2, & \text{if } (x - y) < \beta \\
 *       |x - y| - 0.5 \beta, & \text{otherwise}
 *     \end{cases}
 * ```
 *
 * @param predictions - Predicted values.
 * @param targets - Ground truth values.
 * @param beta - The threshold after which the loss changes
 *   from the squared to the absolute difference. Default: `1.0`.
 * @param reduction - Specifies the reduction to apply to the output:
 *   `'none'` | `'mean'` | `'sum'`. Default: `'mean'`.
 *
 * @returns The computed smooth L1 loss.
 */
export declare function smoothL1Loss(predictions: mx.array, targets: mx.array, beta?: number, reduction?: Reduction): mx.array;
/**
 * Computes the triplet loss for a set of anchor, positive, and negative samples.
 * Margin is represented with alpha in the math section.
 *
 * @remark
 *
 * ```math
 * max(||A - P||_p - ||A - N||_p + alpha, 0)
 * ```
 *
 * @param anchors - The anchor samples.
 * @param positives - The positive samples.
 * @param negatives - The negative samples.
 * @param axis - The distribution axis. Default: `-1`.
 * @param p - The norm degree for pairwise distance. Default: `2`.
 * @param margin - Margin for the triplet loss. Defaults to `1.0`.
 * @param eps - Small positive constant to prevent numerical instability. Defaults to `1e-6`.
 * @param reduction - Specifies the reduction to apply to the output: `'none'` | `'mean'` | `'sum'`. Default: `'none'`.
 *
 * @returns Computed triplet loss. If reduction is "none", returns a tensor of the same shape as input;
 * if reduction is "mean" or "sum", returns a scalar tensor.
 */
export declare function tripletLoss(anchors: mx.array, positives: mx.array, negatives: mx.array, axis?: number, p?: number, margin?: number, eps?: number, reduction?: Reduction): mx.array;
/**
 * Computes the hinge loss between inputs and targets.
 *
 * @remarks
 *
 * The hinge loss is computed as:
 *
 * ```math
 * \text{hinge}(y, y_{\text{pred}}) = \max(0, 1 - y \cdot y_{\text{pred}})
 * ```
 *
 * @param inputs - The predicted values.
 * @param targets - The target values. They should be -1 or 1.
 * @param reduction - Specifies the reduction to apply to the output:
 * `'none'` | `'mean'` | `'sum'`. Default: `'none'`.
 *
 * @returns The computed hinge loss.
 */
export declare function hingeLoss(inputs: mx.array, targets: mx.array, reduction?: Reduction): mx.array;
/**
 * Computes the Huber loss between inputs and targets.
 *
 * @remarks
 *
 * ```math
 * l_{\delta}(a) =
 * \left\{ \begin{array}{ll}
 *   \frac{1}{2} a^2 & \text{for } |a| \leq \delta, \\
 *   \delta \left( |a| - \frac{1}{2} \delta \right) & \text{otherwise.}
 * \end{array} \right.
 * ```
 *
 * @param inputs - The predicted values.
 * @param targets - The target values.
 * @param delta - The threshold at which to change between L1 and L2 loss.
 *   Default: `1.0`.
 * @param reduction - Specifies the reduction to apply to the output:
 * `'none'` | `'mean'` | `'sum'`. Default: `'none'`.
 *
 * @returns The computed Huber loss.
 */
export declare function huberLoss(inputs: mx.array, targets: mx.array, delta?: number, reduction?: Reduction): mx.array;
/**
 * Computes the log cosh loss between inputs and targets.
 *
 * @remarks
 *
 * Logcosh acts like L2 loss for small errors, ensuring stable gradients,
 * and like the L1 loss for large errors, reducing sensitivity to outliers. This
 * dual behavior offers a balanced, robust approach for regression tasks.
 *
 * ```math
 * \text{logcosh}(y_{\text{true}}, y_{\text{pred}}) =
 *   \frac{1}{n} \sum_{i=1}^{n}
 *   \log(\cosh(y_{\text{pred}}^{(i)} - y_{\text{true}}^{(i)}))
 * ```
 *
 * @param inputs - The predicted values.
 * @param targets - The target values.
 * @param reduction - Specifies the reduction to apply to the output:
 * `'none'` | `'mean'` | `'sum'`. Default: `'none'`.
 *
 * @returns The computed log cosh loss.
 */
export declare function logCoshLoss(inputs: mx.array, targets: mx.array, reduction?: Reduction): mx.array;
/**
 * Computes the cosine similarity between the two inputs.
 *
 * @remarks
 *
 * The cosine similarity loss is given by
 *
 * ```math
 * \frac{x_1 \cdot x_2}{\max(\|x_1\|  \cdot \|x_2\|, \epsilon)}
 * ```
 *
 * @param x1 - The first set of inputs.
 * @param x2 - The second set of inputs.
 * @param axis - The embedding axis. Default: `1`.
 * @param eps - The minimum value of the denominator used for numerical stability. Default: `1e-8`.
 * @param reduction - Specifies the reduction to apply to the output: `'none'` | `'mean'` | `'sum'`. Default: `'none'`.
 *
 * @returns The computed cosine similarity loss.
 */
export declare function cosineSimilarityLoss(x1: mx.array, x2: mx.array, axis?: number, eps?: number, reduction?: Reduction): mx.array;
/**
 * Calculate the margin ranking loss that loss given inputs `x1`, `x2` and a
 * label `y` (containing 1 or -1).
 *
 * @remarks
 *
 * The loss is given by:
 *
 * ```math
 * \text{loss} = \max (0, -y * (x_1 - x_2) + \text{margin})
 * ```
 *
 * Where `y` represents `targets`, `x_1` represents `inputs1` and `x_2`
 * represents `inputs2`.
 *
 * @param inputs1 - Scores for the first input.
 * @param inputs2 - Scores for the second input.
 * @param targets - Labels indicating whether samples in `inputs1` should be
 * ranked higher than samples in `inputs2`. Values should be 1 or -1.
 * @param margin - The margin by which the scores should be separated.
 *   Default: `0.0`.
 * @param reduction - Specifies the reduction to apply to the output:
 * `'none'` | `'mean'` | `'sum'`. Default: `'none'`.
 *
 * @returns The computed margin ranking loss.
 */
export declare function marginRankingLoss(inputs1: mx.array, inputs2: mx.array, targets: mx.array, margin?: number, reduction?: Reduction): mx.array;
export {};
