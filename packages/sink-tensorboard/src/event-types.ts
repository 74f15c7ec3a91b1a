/** The parts of TensorFlow's `Event` and `Summary` messages that rlaif writes and reads. */

/** A histogram as TensorBoard's `HistogramProto`: `buckets[i]` counts values in (bucketLimits[i-1], bucketLimits[i]]. */
export interface HistogramData {
  readonly min: number;
  readonly max: number;
  readonly num: number;
  readonly sum: number;
  readonly sumSquares: number;
  readonly bucketLimits: readonly number[];
  readonly buckets: readonly number[];
}

/** One tagged value of a summary. Tensors rlaif does not interpret keep their dtype, shape and values. */
export type SummaryValue =
  | { readonly tag: string; readonly kind: 'scalar'; readonly value: number }
  | { readonly tag: string; readonly kind: 'text'; readonly text: string }
  | { readonly tag: string; readonly kind: 'histogram'; readonly histogram: HistogramData }
  | {
      readonly tag: string;
      readonly kind: 'tensor';
      readonly pluginName: string | undefined;
      readonly dtype: number;
      readonly shape: readonly number[];
      readonly values: readonly number[] | readonly string[];
    };

/** One record of an event file. */
export interface TensorBoardEvent {
  /** Seconds since the Unix epoch. */
  readonly wallTime: number;
  readonly step: number;
  /** Present only on the first record, e.g. `brain.Event:2`. */
  readonly fileVersion?: string;
  readonly values: readonly SummaryValue[];
}

/** Field numbers from tensorflow/core/util/event.proto and tensorflow/core/framework/summary.proto. */
export const FIELD = {
  event: { wallTime: 1, step: 2, fileVersion: 3, summary: 5 },
  summary: { value: 1 },
  value: { tag: 1, simpleValue: 2, histo: 5, tensor: 8, metadata: 9 },
  metadata: { pluginData: 1, dataClass: 4 },
  pluginData: { pluginName: 1, content: 2 },
  histogram: { min: 1, max: 2, num: 3, sum: 4, sumSquares: 5, bucketLimit: 6, bucket: 7 },
  tensor: { dtype: 1, shape: 2, content: 4, floatVal: 5, doubleVal: 6, intVal: 7, stringVal: 8, int64Val: 10 },
  shape: { dim: 2 },
  dim: { size: 1 },
} as const;

/** TensorFlow `DataType` enum values that rlaif decodes. */
export const DTYPE = { float: 1, double: 2, int32: 3, string: 7, int64: 9 } as const;

/** `SummaryMetadata.DataClass`: how TensorBoard should treat a tensor. */
export const DATA_CLASS = { scalar: 1, tensor: 2 } as const;
