/**
 * @rlaif/sink-tensorboard: writes TensorBoard event files (scalars, text, histograms) in pure
 * TypeScript, and reads them back. Add `tensorboard()` to `sinks` in rlaif.config.ts.
 */
import { tensorboard } from './tensorboard-sink.js';

export { tensorboard, DEFAULT_TENSORBOARD_DIR } from './tensorboard-sink.js';
export type { TensorBoardSinkOptions } from './tensorboard-sink.js';
export { readEvents } from './read-events.js';
export type { ReadEventsOptions } from './read-events.js';
export type { HistogramData, SummaryValue, TensorBoardEvent } from './event-types.js';
export { EventFileWriter, EVENT_FILE_PREFIX, FILE_VERSION } from './event-file-writer.js';
export type { EventFileWriterOptions, WarnFn } from './event-file-writer.js';
export { encodeEvent } from './event-encoder.js';
export type { EventInput, ValueInput } from './event-encoder.js';
export { decodeEvent } from './event-decoder.js';
export { frameRecord, scanRecords } from './record-framing.js';
export type { FramedRecord, ScanProblem, ScanResult } from './record-framing.js';
export { crc32c, maskedCrc32c } from './crc32c.js';
export { buildHistogram } from './histogram.js';

export default tensorboard;
