/**
 * Gradients with respect to a model's trainable parameters, in a stable order.
 * node-mlx 0.0.7's `nn.valueAndGrad` attaches gradients to the wrong parameters in many calls
 * (it walks the tree in an unstable native order), so we differentiate a function of a flat
 * array of parameters and rebuild names in JS by position.
 */
import type { nn } from '@frost-beta/mlx';
import { core as mx, utils } from '@frost-beta/mlx';

/** Dotted names and arrays of the trainable parameters, in one fixed order. */
export interface FlatParameters {
  readonly names: readonly string[];
  readonly values: readonly mx.array[];
}

/** Flattens `model.trainableParameters()` into parallel name/value lists. */
export function flattenTrainable(model: nn.Module): FlatParameters {
  const flat = utils.treeFlatten(model.trainableParameters()) as [string, mx.array][];
  return { names: flat.map(([name]) => name), values: flat.map(([, value]) => value) };
}

/** Writes named arrays back into `model` (only the given names change). */
export function updateNamed(model: nn.Module, names: readonly string[], values: readonly mx.array[]): void {
  const entries: [string, mx.array][] = names.map((name, i) => [name, values[i]!]);
  model.update(utils.treeUnflatten(entries) as Parameters<nn.Module['update']>[0]);
}

/** A loss and extra scalars (stats) computed from the model's current parameters. */
export type LossFunction = () => { loss: mx.array; aux: readonly mx.array[] };

/** Result of one differentiated call: the loss, the aux outputs and one gradient per name. */
export interface ValueAndGradients {
  readonly loss: mx.array;
  readonly aux: readonly mx.array[];
  readonly gradients: readonly mx.array[];
}

/**
 * Evaluates `lossFn` and its gradient w.r.t. each trainable parameter of `model`, in the
 * order of `params.names`. The model's parameters are restored to `params.values` afterwards.
 */
export function valueAndGradients(model: nn.Module, params: FlatParameters, lossFn: LossFunction): ValueAndGradients {
  const count = params.values.length;
  const inner = (...values: mx.array[]): mx.array[] => {
    updateNamed(model, params.names, values);
    const { loss, aux } = lossFn();
    return [loss, ...aux];
  };
  const argnums = Array.from({ length: count }, (_, i) => i);
  const differentiated = mx.valueAndGrad(inner, argnums);
  try {
    const [outputs, gradients] = differentiated(...params.values) as unknown as [mx.array[], mx.array[] | mx.array];
    const grads = Array.isArray(gradients) ? gradients : [gradients];
    const [loss, ...aux] = outputs;
    return { loss: loss!, aux, gradients: grads };
  } finally {
    // The traced call leaves tracer arrays in the model; put the real ones back.
    updateNamed(model, params.names, params.values);
  }
}
