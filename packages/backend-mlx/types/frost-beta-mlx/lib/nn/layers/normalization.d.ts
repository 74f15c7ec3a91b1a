import { core as mx } from '../../..';
import { Module } from './base';
/**
 * Applies instance normalization on the inputs.
 *
 * @remarks
 *
 * Computes
 *
 * ```math
 * y = \frac{x - \mathrm{E}[x]}{ \sqrt{\mathrm{Var}[x] + \epsilon}} * \gamma + \beta,
 * ```
 *
 * where `gamma` and `beta` are learned per feature dimension parameters
 * initialized at 1 and 0 respectively. Both are of size `dims`, if `affine` is
 * `true`.
 *
 * Reference: https://arxiv.org/abs/1607.08022
 *
 * @param dims - The number of features of the input.
 * @param eps - A value added to the denominator for numerical stability.
 * Default: `1e-5`.
 * @param affine - Default: `false`.
 *
 * @example
 * ```typescript
 * import {core as mx, nn} from '@frost-beta/mlx';
 *
 * const x = mx.random.normal([8, 4, 4, 16]);
 * const inorm = new nn.InstanceNorm(16);
 * const output = inorm.forward(x);
 * ```
 */
export declare class InstanceNorm extends Module {
    dims: number;
    eps: number;
    weight?: mx.array;
    bias?: mx.array;
    constructor(dims: number, eps?: number, affine?: boolean);
    toStringExtra(): string;
    forward(x: mx.array): mx.array;
}
/**
 * Applies layer normalization on the inputs.
 *
 * @remarks
 *
 * Computes
 *
 * ```math
 * y = \frac{x - E[x]}{\sqrt{Var[x]} + \epsilon} \gamma + \beta,
 * ```
 *
 * where `gamma` and `beta` are learned per feature dimension parameters
 * initialized at 1 and 0 respectively.
 *
 * Reference: https://arxiv.org/abs/1607.06450
 *
 * @param dims - The feature dimension of the input to normalize over.
 * @param eps - A small additive constant for numerical stability.
 * @param affine - If true learn an affine transform to apply after the
 * normalization.
 * @param bias - If true include a translation to the affine transformation. If
 * it's false the transformation is not affine but just scaling.
 */
export declare class LayerNorm extends Module {
    dims: number;
    eps: number;
    weight?: mx.array;
    bias?: mx.array;
    constructor(dims: number, eps?: number, affine?: boolean, bias?: boolean);
    toStringExtra(): string;
    forward(x: mx.array): mx.array;
}
/**
 * Applies Root Mean Square normalization to the inputs.
 *
 * @remarks
 *
 * Computes
 *
 * ```math
 * y = \frac{x}{\sqrt{E[x^2] + \epsilon}} \gamma
 * ```
 *
 * where `gamma` is a learned per feature dimension parameter initialized at 1.
 *
 * Reference: https://arxiv.org/abs/1910.07467
 *
 * @param dims - The feature dimension of the input to normalize over.
 * @param eps - A small additive constant for numerical stability.
 */
export declare class RMSNorm extends Module {
    weight: mx.array;
    eps: number;
    constructor(dims: number, eps?: number);
    toStringExtra(): string;
    forward(x: mx.array): mx.array;
}
/**
 * Applies Group Normalization [1] to the inputs.
 *
 * @remarks
 *
 * Computes the same normalization as layer norm, namely
 *
 * ```math
 * y = \frac{x - E[x]}{\sqrt{Var[x]} + \epsilon} \gamma + \beta,
 * ```
 *
 * where `gamma` and `beta` are learned per feature dimension parameters
 * initialized at 1 and 0 respectively.
 *
 * The mean and variance are computed over the spatial dimensions and each group
 * of features. In particular, the input is split into numGroups across the
 * feature dimension.
 *
 * The feature dimension is assumed to be the last dimension and the dimensions
 * that precede it (except the first) are considered the spatial dimensions.
 *
 * Reference: https://arxiv.org/abs/1803.08494
 *
 * @param numGroups - Number of groups to separate the features into.
 * @param dims - The feature dimensions of the input to normalize over.
 * @param eps - A small additive constant for numerical stability.
 * @param affine - If `true` learn an affine transform to apply after the
 * normalization.
 * @param pyTorchCompatible - If `true` perform the group normalization in the
 * same order/grouping as PyTorch.
 */
export declare class GroupNorm extends Module {
    numGroups: number;
    dims: number;
    eps: number;
    pyTorchCompatible: boolean;
    bias?: mx.array;
    weight?: mx.array;
    constructor(numGroups: number, dims: number, eps?: number, affine?: boolean, pyTorchCompatible?: boolean);
    toStringExtra(): string;
    forward(x: mx.array): mx.array;
    private pyTorchCompatibleGroupNorm;
    private groupNorm;
}
/**
 * Applies Batch Normalization over a 2D or 3D input.
 *
 * @remarks
 *
 * The input shape is specified as `NC` or `NLC`, where `N` is the batch, `C`
 * is the number of features or channels, and `L` is the sequence length. The
 * output has the same shape as the input. For four-dimensional arrays, the
 * shape is `NHWC`, where `H` and `W` are the height and width respectively.
 *
 * ```math
 * y = \frac{x - E[x]}{\sqrt{Var[x]} + \epsilon} \gamma + \beta,
 * ```
 *
 * where `gamma` and `beta` are learned per feature dimension
 * parameters initialized at 1 and 0 respectively.
 *
 * Reference: https://arxiv.org/abs/1502.03167
 *
 * @param numFeatures - The feature dimension to normalize over.
 * @param eps - A small additive constant for numerical stability.
 * Default: `1e-5`.
 * @param momentum - The momentum for updating the running mean and variance.
 * Default: `0.1`.
 * @param affine - If `true`, apply a learned affine transformation after the
 * normalization. Default: `true`.
 * @param trackRunningStats - If `true`, track the running mean and variance.
 * Default: `true`.
 *
 * @example
 * ```typescript
 * import {core as mx, nn} from '@frost-beta/mlx';
 *
 * const x = mx.random.normal([5, 4]);
 * const bn = new nn.BatchNorm(4);
 * const output = bn.forward(x);
 * ```
 */
export declare class BatchNorm extends Module {
    numFeatures: number;
    eps: number;
    momentum: number;
    trackRunningStats: boolean;
    weight?: mx.array;
    bias?: mx.array;
    runningMean?: mx.array;
    runningVar?: mx.array;
    constructor(numFeatures: number, eps?: number, momentum?: number, affine?: boolean, trackRunningStats?: boolean);
    unfreeze(...args: any[]): this;
    toStringExtra(): string;
    forward(x: mx.array): mx.array;
    private calcStats;
}
