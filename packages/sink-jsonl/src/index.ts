/**
 * @rlaif/sink-jsonl: writes batch and epoch summaries to `logs/json_summaries/*.jsonl`, one JSON
 * object per line, safe to read while the run goes on. Add `jsonl()` to `sinks` in rlaif.config.ts.
 */
import { jsonl } from './jsonl-sink.js';

export { jsonl, DEFAULT_JSON_SUMMARIES_DIR, JSONL_FILES } from './jsonl-sink.js';
export type { JsonlSinkOptions } from './jsonl-sink.js';
export { trimTornLine } from './trim-torn-line.js';

export default jsonl;
