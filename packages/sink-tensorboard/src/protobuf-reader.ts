/** A minimal protocol-buffers decoder: walks the fields of one message, skipping unknown ones. */

/** One decoded field: varints as numbers, fixed-width as raw little-endian views, the rest as bytes. */
export type ProtobufField =
  | { readonly field: number; readonly wireType: 0; readonly value: number }
  | { readonly field: number; readonly wireType: 1; readonly value: DataView }
  | { readonly field: number; readonly wireType: 2; readonly value: Uint8Array }
  | { readonly field: number; readonly wireType: 5; readonly value: DataView };

/** Thrown for bytes that are not a well-formed message; callers turn it into a DataError. */
export class ProtobufDecodeError extends Error {}

/** Decodes every field of `message` in order. */
export function decodeFields(message: Uint8Array): ProtobufField[] {
  const fields: ProtobufField[] = [];
  let offset = 0;
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);

  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (offset >= message.length) throw new ProtobufDecodeError(`truncated varint at byte ${offset}`);
      const byte = message[offset++]!;
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 0x80;
    }
    throw new ProtobufDecodeError(`varint longer than 10 bytes at byte ${offset}`);
  };
  const take = (size: number): number => {
    if (offset + size > message.length) throw new ProtobufDecodeError(`field runs past the end at byte ${offset}`);
    const start = offset;
    offset += size;
    return start;
  };

  while (offset < message.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === 0) throw new ProtobufDecodeError(`field number 0 at byte ${offset}`);
    switch (wireType) {
      case 0:
        fields.push({ field, wireType, value: varint() });
        break;
      case 1:
        fields.push({ field, wireType, value: new DataView(view.buffer, view.byteOffset + take(8), 8) });
        break;
      case 2: {
        const size = varint();
        const start = take(size);
        fields.push({ field, wireType, value: message.subarray(start, start + size) });
        break;
      }
      case 5:
        fields.push({ field, wireType, value: new DataView(view.buffer, view.byteOffset + take(4), 4) });
        break;
      default:
        throw new ProtobufDecodeError(`unsupported wire type ${wireType} at byte ${offset}`);
    }
  }
  return fields;
}

/** Reads a packed (or single unpacked) `repeated double` field's values. */
export function readDoubles(field: ProtobufField): number[] {
  if (field.wireType === 1) return [field.value.getFloat64(0, true)];
  if (field.wireType !== 2 || field.value.length % 8 !== 0) throw new ProtobufDecodeError(`field ${field.field} is not a double list`);
  const view = new DataView(field.value.buffer, field.value.byteOffset, field.value.byteLength);
  return Array.from({ length: field.value.length / 8 }, (_, i) => view.getFloat64(i * 8, true));
}

/** Reads a packed (or single unpacked) `repeated float` field's values. */
export function readFloats(field: ProtobufField): number[] {
  if (field.wireType === 5) return [field.value.getFloat32(0, true)];
  if (field.wireType !== 2 || field.value.length % 4 !== 0) throw new ProtobufDecodeError(`field ${field.field} is not a float list`);
  const view = new DataView(field.value.buffer, field.value.byteOffset, field.value.byteLength);
  return Array.from({ length: field.value.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
}
