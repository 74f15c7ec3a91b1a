export { AppendOnlyFile } from './append-only-file.js';
export { readCompleteLines } from './complete-lines.js';
export { ATOMIC_TEMP_PREFIX, replaceFileAtomic, writeFileAtomic, writeJsonAtomic } from './atomic-write.js';
export { fsyncDirectory } from './fsync-directory.js';
export { syncTree } from './sync-tree.js';
export type { TreeFile } from './sync-tree.js';
export { pathExists } from './path-exists.js';
export { sha256OfFile } from './file-checksum.js';
