import mlx from '..';
export declare function stream(s: mlx.core.StreamOrDevice): Disposable;
