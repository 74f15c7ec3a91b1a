import { DTYPE, FIELD } from './event-types.js';
import type { HistogramData, SummaryValue, TensorBoardEvent } from './event-types.js';
import { decodeFields, ProtobufDecodeError, readDoubles, readFloats } from './protobuf-reader.js';
import type { ProtobufField } from './protobuf-reader.js';

const utf8 = new TextDecoder('utf-8');

/** Decodes a `tensorflow.Event` message; throws ProtobufDecodeError on malformed bytes. */
export function decodeEvent(message: Uint8Array): TensorBoardEvent {
  let wallTime = 0;
  let step = 0;
  let fileVersion: string | undefined;
  const values: SummaryValue[] = [];
  for (const field of decodeFields(message)) {
    if (field.field === FIELD.event.wallTime && field.wireType === 1) wallTime = field.value.getFloat64(0, true);
    else if (field.field === FIELD.event.step && field.wireType === 0) step = field.value;
    else if (field.field === FIELD.event.fileVersion && field.wireType === 2) fileVersion = utf8.decode(field.value);
    else if (field.field === FIELD.event.summary && field.wireType === 2) {
      for (const entry of decodeFields(field.value)) {
        if (entry.field === FIELD.summary.value && entry.wireType === 2) values.push(decodeValue(entry.value));
      }
    }
  }
  return fileVersion === undefined ? { wallTime, step, values } : { wallTime, step, fileVersion, values };
}

function decodeValue(message: Uint8Array): SummaryValue {
  let tag = '';
  let pluginName: string | undefined;
  let simpleValue: number | undefined;
  let histogram: HistogramData | undefined;
  let tensor: DecodedTensor | undefined;
  for (const field of decodeFields(message)) {
    if (field.field === FIELD.value.tag && field.wireType === 2) tag = utf8.decode(field.value);
    else if (field.field === FIELD.value.simpleValue && field.wireType === 5) simpleValue = field.value.getFloat32(0, true);
    else if (field.field === FIELD.value.histo && field.wireType === 2) histogram = decodeHistogram(field.value);
    else if (field.field === FIELD.value.tensor && field.wireType === 2) tensor = decodeTensor(field.value);
    else if (field.field === FIELD.value.metadata && field.wireType === 2) pluginName = decodePluginName(field.value);
  }
  if (simpleValue !== undefined) return { tag, kind: 'scalar', value: simpleValue };
  if (histogram) return { tag, kind: 'histogram', histogram };
  if (!tensor) throw new ProtobufDecodeError(`summary value '${tag}' has no simple_value, histo or tensor`);
  const first = tensor.values[0];
  const isScalarShape = tensor.shape.length === 0 && tensor.values.length === 1;
  if (isScalarShape && pluginName === 'scalars' && typeof first === 'number') return { tag, kind: 'scalar', value: first };
  if (pluginName === 'text' && tensor.dtype === DTYPE.string && typeof first === 'string' && tensor.values.length === 1) {
    return { tag, kind: 'text', text: first };
  }
  return { tag, kind: 'tensor', pluginName, ...tensor };
}

function decodePluginName(message: Uint8Array): string | undefined {
  for (const field of decodeFields(message)) {
    if (field.field !== 1 || field.wireType !== 2) continue;
    for (const inner of decodeFields(field.value)) {
      if (inner.field === 1 && inner.wireType === 2) return utf8.decode(inner.value);
    }
  }
  return undefined;
}

function decodeHistogram(message: Uint8Array): HistogramData {
  const scalars = { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0 };
  const bucketLimits: number[] = [];
  const buckets: number[] = [];
  const names = ['', 'min', 'max', 'num', 'sum', 'sumSquares'] as const;
  for (const field of decodeFields(message)) {
    const name = names[field.field];
    if (name && field.wireType === 1) scalars[name] = field.value.getFloat64(0, true);
    else if (field.field === FIELD.histogram.bucketLimit) bucketLimits.push(...readDoubles(field));
    else if (field.field === FIELD.histogram.bucket) buckets.push(...readDoubles(field));
  }
  return { ...scalars, bucketLimits, buckets };
}

interface DecodedTensor {
  dtype: number;
  shape: number[];
  values: number[] | string[];
}

function decodeTensor(message: Uint8Array): DecodedTensor {
  let dtype = 0;
  const shape: number[] = [];
  let content: Uint8Array | undefined;
  const numbers: number[] = [];
  const strings: string[] = [];
  for (const field of decodeFields(message)) {
    if (field.field === FIELD.tensor.dtype && field.wireType === 0) dtype = field.value;
    else if (field.field === FIELD.tensor.shape && field.wireType === 2) shape.push(...decodeShape(field.value));
    else if (field.field === FIELD.tensor.content && field.wireType === 2) content = field.value;
    else if (field.field === FIELD.tensor.floatVal) numbers.push(...readFloats(field));
    else if (field.field === FIELD.tensor.doubleVal) numbers.push(...readDoubles(field));
    else if (field.field === FIELD.tensor.intVal || field.field === FIELD.tensor.int64Val) numbers.push(...readVarints(field));
    else if (field.field === FIELD.tensor.stringVal && field.wireType === 2) strings.push(utf8.decode(field.value));
  }
  if (dtype === DTYPE.string) return { dtype, shape, values: strings };
  if (content) numbers.push(...decodeTensorContent(dtype, content));
  return { dtype, shape, values: numbers };
}

function decodeShape(message: Uint8Array): number[] {
  const dims: number[] = [];
  for (const field of decodeFields(message)) {
    if (field.field !== FIELD.shape.dim || field.wireType !== 2) continue;
    const size = decodeFields(field.value).find((inner) => inner.field === FIELD.dim.size && inner.wireType === 0);
    dims.push(size?.wireType === 0 ? size.value : 0);
  }
  return dims;
}

function readVarints(field: ProtobufField): number[] {
  if (field.wireType === 0) return [field.value];
  if (field.wireType !== 2) throw new ProtobufDecodeError(`field ${field.field} is not an integer list`);
  // A packed field holds varints back to back, with no keys between them.
  const values: number[] = [];
  let offset = 0;
  while (offset < field.value.length) {
    let value = 0;
    let scale = 1;
    let byte: number;
    do {
      if (offset >= field.value.length) throw new ProtobufDecodeError('truncated packed varint');
      byte = field.value[offset++]!;
      value += (byte & 0x7f) * scale;
      scale *= 0x80;
    } while (byte & 0x80);
    values.push(value);
  }
  return values;
}

function decodeTensorContent(dtype: number, content: Uint8Array): number[] {
  const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
  const width = dtype === DTYPE.float || dtype === DTYPE.int32 ? 4 : dtype === DTYPE.double || dtype === DTYPE.int64 ? 8 : 0;
  if (width === 0 || content.length % width !== 0) return [];
  return Array.from({ length: content.length / width }, (_, i) => {
    const at = i * width;
    if (dtype === DTYPE.float) return view.getFloat32(at, true);
    if (dtype === DTYPE.double) return view.getFloat64(at, true);
    if (dtype === DTYPE.int32) return view.getInt32(at, true);
    return Number(view.getBigInt64(at, true));
  });
}
