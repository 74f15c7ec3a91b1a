/**
 * Applies `fn` to the leaves of the Object `tree` and returns a new Array with
 * the results.
 *
 * @remarks
 *
 * If `rest` is provided, every item is assumed to be a superset of `tree` and
 * the corresponding leaves are provided as extra positional arguments to `fn`.
 *
 * The argument `isLeaf` decides what constitutes a leaf from `tree` similar to
 * `treeFlatten`.
 *
 * Example:
 *
 * ```typescript
 * import {core as mx, nn, utils} from '@frost-beta/mlx';
 *
 * const model = nn.Linear(10, 10);
 * console.log(Object.keys(model.parameters()));
 * // Outputs: ['weight', 'bias']
 *
 * // Square the parameters.
 * model.update(utils.treeMap((x: mx.array) => mx.multiply(x, x), model.parameters()));
 * ```
 *
 * @param func - The function that processes the leaves of the tree.
 * @param tree - The main Object that will be iterated upon.
 * @param rest - Extra trees to be iterated together with `tree`.
 * @param isLeaf - An optional function that returns `true` if the passed
 * object is considered a leaf or `False` otherwise.
 *
 * @returns An Object with the new values returned by `fn`.
 */
export declare function treeMap(func: (...args: any[]) => unknown, tree: unknown, rest?: object[], isLeaf?: (node: unknown) => boolean): unknown;
/**
 * Applies `fn` to the path and leaves of the Object `tree` and
 * returns a new Array with the results.
 *
 * @remarks
 *
 * This function is the same as `treeMap` but the `fn` takes the path as
 * the first argument followed by the remaining tree nodes.
 *
 * @param fn - The function that processes the leaves of the tree.
 * @param tree - The main Object that will be iterated upon.
 * @param rest - Extra trees to be iterated together with `tree`.
 * @param isLeaf - An optional function that returns `True` if the passed
 * object is considered a leaf or `False` otherwise.
 * @param path - The path to the current node.
 *
 * @returns An Object with the new values returned by `fn`.
 *
 * @example
 * ```typescript
 * import {utils} from '@frost-beta/mlx';
 *
 * const tree = {model: [{w: 0, b: 1}, {w: 0, b: 1}]};
 * utils.treeMapWithPath((path: string) => console.log(path), tree);
 * // Outputs: model.0.w, model.0.b, model.1.w, model.1.b
 * ```
 */
export declare function treeMapWithPath(fn: (path?: string, ...args: unknown[]) => unknown, tree: unknown, rest?: object[], isLeaf?: (node: unknown) => boolean, path?: string): unknown;
/**
 * Flattens an Object tree to a list of key, value tuples.
 *
 * @remarks
 *
 * The keys are using the dot notation to define trees of arbitrary depth and
 * complexity.
 *
 *
 * @param tree - The Object tree to be flattened.
 * @param prefix - A prefix to use for the keys. The first character is always
 * discarded.
 * @param isLeaf - An optional function that returns true if the passed object
 * is considered a leaf or false otherwise.
 * @param convertKey - An optional function that converts the key of tree.
 *
 * @returns An array of objects with `key` and `value` properties.
 *
 * @example
 * ```typescript
 * import {utils} from '@frost-beta/mlx';
 *
 * console.log(utils.treeFlatten([[[0]]]));
 * // Outputs: [['0.0.0', 0]]
 *
 * console.log(utils.treeFlatten([[[0]]], '.hello'));
 * // Outputs: [['hello.0.0.0', 0]]
 * ```
 */
export declare function treeFlatten(tree: unknown, prefix?: string, isLeaf?: (node: unknown) => boolean, convertKey?: (key: string) => string): [string, unknown][];
/**
 * Recreate an Object from its flat representation.
 *
 * @param tree - The flat representation of an Object. For instance as returned
 * by `treeFlatten`.
 * @param convertKey - An optional function that converts the key of tree.
 *
 * @returns An Object.
 *
 * @example
 * ```typescript
 * import {utils} from '@frost-beta/mlx';
 *
 * const d = utils.treeUnflatten([['hello.world', 42]]);
 * console.log(d);
 * // Outputs: {hello: {world: 42}}
 * ```
 */
export declare function treeUnflatten(tree: [string, unknown][], convertKey?: (key: string) => string): unknown;
/**
 * Applies a reduction to the leaves of a tree.
 *
 * @remarks
 *
 * This function reduces trees into an accumulated result by applying
 * the provided function `func` to the leaves of the tree.
 *
 * @example
 * ```
 * const tree = {a: [1, 2, 3], b: [4, 5]};
 * treeReduce((acc, x) => acc + x, tree, 0);  // Returns 15
 * ```
 *
 * @param func - The reducer function that takes two arguments (accumulator,
 * current value) and returns the updated accumulator.
 * @param tree - The Python tree to reduce. It can be any nested combination of
 * lists, tuples, or dictionaries.
 * @param initializer - The initial value to start the reduction. If
 * not provided, the first leaf value is used.
 * @param isLeaf - A function to determine if an object is a
 * leaf, returning `true` for leaf nodes and `false` otherwise.
 *
 * @returns The accumulated value.
 */
export declare function treeReduce<U>(func: (accumulator: U, currentValue: U) => U, tree: Nested<U>, initializer?: U, isLeaf?: (node: unknown) => boolean): U;
export type Nested<T> = T | T[] | {
    [key: string]: Nested<T>;
};
export type NestedDict<T> = {
    [key: string]: Nested<T>;
};
export declare function deepEqual(s1: number[], s2: number[]): boolean;
export declare function isDict(dict: object): boolean;
export declare function toCamelCase(e: string): string;
export declare function toSnakeCase(e: string): string;
