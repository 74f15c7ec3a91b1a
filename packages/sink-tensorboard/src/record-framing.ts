import { maskedCrc32c } from './crc32c.js';

/** Bytes of framing around each record: 8 (length) + 4 (length CRC) before, 4 (data CRC) after. */
export const RECORD_OVERHEAD = 16;

/** Frames `data` as a TFRecord: uint64 length, masked CRC of the length, data, masked CRC of the data. */
export function frameRecord(data: Uint8Array): Uint8Array {
  const record = new Uint8Array(RECORD_OVERHEAD + data.length);
  const view = new DataView(record.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(record.subarray(0, 8)), true);
  record.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return record;
}

/** One record found by `scanRecords`, with the byte offset of its header. */
export interface FramedRecord {
  readonly offset: number;
  readonly data: Uint8Array;
}

/** Why a scan stopped early: a record cut off at the end (`torn`) or a checksum mismatch (`corrupt`). */
export interface ScanProblem {
  readonly offset: number;
  readonly kind: 'torn' | 'corrupt';
  readonly reason: string;
}

/** The outcome of scanning a buffer: the valid records, where they end, and what stopped the scan. */
export interface ScanResult {
  readonly records: readonly FramedRecord[];
  /** Byte length of the valid prefix; a writer appending to a damaged file truncates to this. */
  readonly validLength: number;
  readonly problem: ScanProblem | undefined;
}

/** Splits `bytes` into TFRecords, verifying both CRCs of each; stops at the first problem. */
export function scanRecords(bytes: Uint8Array): ScanResult {
  const records: FramedRecord[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  const stop = (kind: ScanProblem['kind'], reason: string): ScanResult => ({ records, validLength: offset, problem: { offset, kind, reason } });
  while (offset < bytes.length) {
    if (offset + 12 > bytes.length) return stop('torn', 'record header is cut off');
    if (view.getUint32(offset + 8, true) !== maskedCrc32c(bytes.subarray(offset, offset + 8))) {
      return stop('corrupt', 'length checksum mismatch');
    }
    const length = view.getBigUint64(offset, true);
    if (length > BigInt(bytes.length - offset - RECORD_OVERHEAD)) return stop('torn', `record of ${length} bytes is cut off`);
    const size = Number(length);
    const data = bytes.subarray(offset + 12, offset + 12 + size);
    if (view.getUint32(offset + 12 + size, true) !== maskedCrc32c(data)) return stop('corrupt', 'data checksum mismatch');
    records.push({ offset, data });
    offset += RECORD_OVERHEAD + size;
  }
  return { records, validLength: offset, problem: undefined };
}
