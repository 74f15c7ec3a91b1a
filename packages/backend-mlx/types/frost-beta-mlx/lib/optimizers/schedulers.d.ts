import { core as mx } from '../..';
/**
 * Make an exponential decay scheduler.
 *
 * @remarks
 *
 * @param init Initial value.
 * @param decayRate Multiplicative factor to decay by.
 *
 * @example
 * ```typescript
 * let lrSchedule = optim.exponentialDecay(0.1, 0.9);
 * let optimizer = new optim.SGD(lrSchedule);
 * console.log(optimizer.learningRate); // 0.1
 *
 * for (let i = 0; i < 5; i++) optimizer.update({}, {});
 * console.log(optimizer.learningRate); //0.06561
 * ```
 */
export declare function exponentialDecay(init: number, decayRate: number): (step: number | mx.array) => mx.array;
/**
 * Make a step decay scheduler.
 *
 * @remarks
 *
 * @param init Initial value.
 * @param decayRate Multiplicative factor to decay by.
 * @param stepSize Decay every `stepSize` steps.
 *
 * @example
 * ```typescript
 * let lrSchedule = optim.stepDecay(0.1, 0.9, 10);
 * let optimizer = new optim.SGD(lrSchedule);
 * console.log(optimizer.learningRate); // 0.1
 *
 * for (let i = 0; i < 21; i++) optimizer.update({}, {});
 * console.log(optimizer.learningRate); // 0.081
 * ```
 */
export declare function stepDecay(init: number, decayRate: number, stepSize: number): (step: number | mx.array) => mx.array;
/**
 * Make a cosine decay scheduler.
 *
 * @remarks
 *
 * @param init Initial value.
 * @param decaySteps Number of steps to decay over. The decayed
 * value is constant for steps beyond `decaySteps`.
 * @param end Final value to decay to. Default: `0`.
 *
 * @example
 * ```typescript
 * let lrSchedule = optim.cosineDecay(0.1, 1000);
 * let optimizer = new optim.SGD(lrSchedule);
 * console.log(optimizer.learningRate); // 0.1
 *
 * for (let i = 0; i < 5; i++) optimizer.update({}, {});
 * console.log(optimizer.learningRate); // 0.0999961
 * ```
 */
export declare function cosineDecay(init: number, decaySteps: number, end?: number): (step: number | mx.array) => mx.array;
/**
 * Join multiple schedules to create a new schedule.
 *
 * @param schedules A list of schedules. Schedule `i+1` receives a step count
 * indicating the number of steps since the `i`-th boundary.
 * @param boundaries A list of integers of length `schedules.length - 1` that indicates when
 * to transition between schedules.
 *
 * @example
 * ```typescript
 * let warmup = optim.linearSchedule(0, 0.1, 10);
 * let cosine = optim.cosineDecay(0.1, 200);
 * let lrSchedule = optim.joinSchedules([warmup, cosine], [10]);
 * let optimizer = new optim.Adam(lrSchedule);
 * console.log(optimizer.learningRate); // 0
 *
 * for (let i = 0; i < 12; i++) optimizer.update({}, {});
 * console.log(optimizer.learningRate); // 0.0999938
 * ```
 */
export declare function joinSchedules(schedules: ((step: number | mx.array) => number | mx.array)[], boundaries: number[]): (step: number | mx.array) => mx.array;
/**
 * Make a linear scheduler.
 *
 * @remarks
 *
 * @param init Initial value.
 * @param end Final value.
 * @param steps Number of steps to apply the schedule over. The value is
 * ``end`` for any steps beyond ``steps``.
 *
 * @example
 * ```typescript
 * const warmup = optim.linearSchedule(0, 0.1, 100);
 * const optimizer = new optim.Adam(warmup);
 * console.log(optimizer.learningRate); // 0.0
 *
 * for (let i = 0; i < 101; i++) optimizer.update({}, {});
 * console.log(optimizer.learningRate); // 0.1
 * ```
 */
export declare function linearSchedule(init: number, end: number, steps: number): (step: number | mx.array) => mx.array;
