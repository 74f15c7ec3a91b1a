/**
 * Runs before @tensorflow/tfjs-node is loaded (src/engine/tf.ts imports it first): tfjs-node 4.22 calls
 * `util.isNullOrUndefined`, which Node 23 removed, so on such a Node it is put back; and TensorFlow's
 * C++ INFO/WARNING logs are silenced unless the user set TF_CPP_MIN_LOG_LEVEL (one oneDNN
 * line printed before TensorFlow reads it remains).
 */
import util from 'node:util';

/** The one removed `node:util` function tfjs-node 4.22 still calls. */
export interface UtilWithNullCheck {
  isNullOrUndefined?: (value: unknown) => boolean;
}

/** Adds `isNullOrUndefined` to `target` when it lacks it (Node ≥ 23); returns whether it was added. */
export function restoreIsNullOrUndefined(target: UtilWithNullCheck): boolean {
  if (typeof target.isNullOrUndefined === 'function') return false;
  target.isNullOrUndefined = (value: unknown) => value === null || value === undefined;
  return true;
}

restoreIsNullOrUndefined(util as UtilWithNullCheck);
process.env['TF_CPP_MIN_LOG_LEVEL'] ??= '2';
