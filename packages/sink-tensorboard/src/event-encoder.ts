import { DATA_CLASS, DTYPE, FIELD } from './event-types.js';
import type { HistogramData } from './event-types.js';
import { ProtobufWriter } from './protobuf-writer.js';

/** What an encoded event carries: a file-version marker or summary values. */
export interface EventInput {
  readonly wallTime: number;
  readonly step: number;
  readonly fileVersion?: string;
  readonly values?: readonly ValueInput[];
}

/** A value to encode: a scalar (`simple_value`), a text tensor, or a histogram. */
export type ValueInput =
  | { readonly tag: string; readonly kind: 'scalar'; readonly value: number }
  | { readonly tag: string; readonly kind: 'text'; readonly text: string }
  | { readonly tag: string; readonly kind: 'histogram'; readonly histogram: HistogramData };

/** Encodes a `tensorflow.Event` message. */
export function encodeEvent(event: EventInput): Uint8Array {
  const writer = new ProtobufWriter().double(FIELD.event.wallTime, event.wallTime);
  if (event.step !== 0) writer.uint(FIELD.event.step, event.step);
  if (event.fileVersion !== undefined) writer.string(FIELD.event.fileVersion, event.fileVersion);
  if (event.values && event.values.length > 0) {
    const summary = new ProtobufWriter();
    for (const value of event.values) summary.bytes(FIELD.summary.value, encodeValue(value));
    writer.bytes(FIELD.event.summary, summary.finish());
  }
  return writer.finish();
}

function encodeValue(value: ValueInput): Uint8Array {
  const writer = new ProtobufWriter().string(FIELD.value.tag, value.tag);
  switch (value.kind) {
    case 'scalar':
      return writer.float(FIELD.value.simpleValue, value.value).finish();
    case 'histogram':
      return writer.bytes(FIELD.value.histo, encodeHistogram(value.histogram)).finish();
    case 'text':
      // TensorBoard's text plugin reads a DT_STRING tensor whose metadata names the plugin.
      return writer.bytes(FIELD.value.metadata, encodeMetadata('text', DATA_CLASS.tensor)).bytes(FIELD.value.tensor, encodeStringTensor(value.text)).finish();
  }
}

function encodeMetadata(pluginName: string, dataClass: number): Uint8Array {
  const pluginData = new ProtobufWriter().string(FIELD.pluginData.pluginName, pluginName).finish();
  return new ProtobufWriter().bytes(FIELD.metadata.pluginData, pluginData).uint(FIELD.metadata.dataClass, dataClass).finish();
}

function encodeStringTensor(text: string): Uint8Array {
  // A scalar (rank-0) tensor: the shape message is present but has no dimensions.
  return new ProtobufWriter()
    .uint(FIELD.tensor.dtype, DTYPE.string)
    .bytes(FIELD.tensor.shape, new Uint8Array(0))
    .string(FIELD.tensor.stringVal, text)
    .finish();
}

function encodeHistogram(histogram: HistogramData): Uint8Array {
  return new ProtobufWriter()
    .double(FIELD.histogram.min, histogram.min)
    .double(FIELD.histogram.max, histogram.max)
    .double(FIELD.histogram.num, histogram.num)
    .double(FIELD.histogram.sum, histogram.sum)
    .double(FIELD.histogram.sumSquares, histogram.sumSquares)
    .packedDoubles(FIELD.histogram.bucketLimit, histogram.bucketLimits)
    .packedDoubles(FIELD.histogram.bucket, histogram.buckets)
    .finish();
}
