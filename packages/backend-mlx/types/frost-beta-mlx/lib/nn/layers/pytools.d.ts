export declare function range(start: number, end: number, step?: number): number[];
export declare function accumulate<T>(iterable: Iterable<T>, func: (x: T, y: T) => T, initial?: T): Generator<T, void, unknown>;
export declare function product<T extends Array<Iterable<any>>>(...iterables: T): IterableIterator<{
    [K in keyof T]: T[K] extends Iterable<infer U> ? U : never;
}>;
