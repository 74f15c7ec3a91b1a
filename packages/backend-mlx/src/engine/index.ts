/** Small engine helpers shared by models, generation and training. */
export { asFloat32, mlxDtype, dtypeName } from './compute-dtype.js';
export type { StorageDtype } from './compute-dtype.js';
export { releaseMemory, residentBytes } from './memory.js';
export { engineMemory, nativeMemory } from './engine-memory.js';
export { RandomKeys } from './random-keys.js';
