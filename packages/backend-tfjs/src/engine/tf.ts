/**
 * The one place the engine is imported: `import { tf } from '../engine/tf.js'` everywhere else, so the
 * Node-compatibility shim always runs before tfjs-node loads.
 */
import './node-compat.js';
import * as tf from '@tensorflow/tfjs-node';

export { tf };
