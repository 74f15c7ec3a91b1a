import { readFile } from 'node:fs/promises';
import { DataError } from '@rlaif/core';
import { decodeEvent } from './event-decoder.js';
import type { TensorBoardEvent } from './event-types.js';
import { scanRecords } from './record-framing.js';

/** Options for `readEvents`. */
export interface ReadEventsOptions {
  /** Accept a record cut off at the end (a file still being written); corrupt data still throws. Default false. */
  readonly allowTornTail?: boolean;
}

/**
 * Reads every event of a TensorBoard event file, verifying each record's checksums.
 * Throws a DataError naming the file and byte offset when a record is corrupt or cut off.
 */
export async function readEvents(file: string, options: ReadEventsOptions = {}): Promise<TensorBoardEvent[]> {
  const bytes = await readFile(file);
  const scan = scanRecords(bytes);
  if (scan.problem && !(scan.problem.kind === 'torn' && options.allowTornTail)) {
    throw new DataError(`${scan.problem.reason} in the event record at byte offset ${scan.problem.offset}`, file, undefined, {
      hint:
        scan.problem.kind === 'torn'
          ? 'the file ends mid-record: the writer was killed or is still running; pass { allowTornTail: true } to read the complete records'
          : 'the event file is damaged; delete it or truncate it to the reported offset to keep the records before it',
    });
  }
  return scan.records.map((record) => {
    try {
      return decodeEvent(record.data);
    } catch (error) {
      throw new DataError(`record at byte offset ${record.offset} is not a valid Event message`, file, undefined, {
        hint: 'the file passed its checksums but is not a TensorBoard event file; check the path',
        cause: error,
      });
    }
  });
}
