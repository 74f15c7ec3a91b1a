import { core as mx } from '../../..';
import { Module } from './base';
interface SequentialModule extends Module {
    forward(x: mx.array): mx.array;
}
/**
 * A layer that calls the passed callables in order.
 *
 * @remarks
 *
 * We can pass either modules or plain callables to the Sequential module. If
 * our functions have learnable parameters they should be implemented as
 * `nn.Module` instances.
 *
 * @param modules The modules to call in order
 */
export declare class Sequential extends Module {
    layers: (SequentialModule | ((x: mx.array) => mx.array))[];
    constructor(...modules: (SequentialModule | ((x: mx.array) => mx.array))[]);
    forward(x: mx.array): mx.array;
}
export {};
