export { renderDatasetCard } from './card.js';
export type { DatasetCardInfo } from './card.js';
export { DATASETS_DIR, DATASET_FILES, DatasetRecorder, datasetFileOf, datasetFilesIn } from './recorder.js';
export type { DatasetRecorderOptions } from './recorder.js';
export { DATASET_SPLITS, buildDatasetRow, datasetRowId } from './row.js';
export type { DatasetRow, DatasetRowInput, DatasetSplit } from './row.js';
