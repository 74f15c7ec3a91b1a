/** A minimal protocol-buffers encoder: just the wire types the TensorBoard event messages need. */

const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  Fixed32 = 5,
}

/** Appends protobuf fields to a growing byte buffer; `finish()` returns the encoded message. */
export class ProtobufWriter {
  private buffer = new Uint8Array(64);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  /** A varint field (int32/int64/enum/bool); `value` must be a non-negative safe integer. */
  uint(field: number, value: number): this {
    this.tag(field, WireType.Varint);
    this.varint(value);
    return this;
  }

  /** A `double` field. */
  double(field: number, value: number): this {
    this.tag(field, WireType.Fixed64);
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
    return this;
  }

  /** A `float` field (32-bit; TensorBoard's `simple_value`). */
  float(field: number, value: number): this {
    this.tag(field, WireType.Fixed32);
    this.reserve(4);
    this.view.setFloat32(this.length, value, true);
    this.length += 4;
    return this;
  }

  /** A `string` field, UTF-8 encoded. */
  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  /** A `bytes` field, or an embedded message already encoded. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WireType.LengthDelimited);
    this.varint(value.length);
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
    return this;
  }

  /** A `repeated double` field in packed form. */
  packedDoubles(field: number, values: readonly number[]): this {
    const packed = new Uint8Array(values.length * 8);
    const view = new DataView(packed.buffer);
    values.forEach((value, i) => view.setFloat64(i * 8, value, true));
    return this.bytes(field, packed);
  }

  /** The encoded message. */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private tag(field: number, wireType: WireType): void {
    this.varint(field * 8 + wireType);
  }

  private varint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`protobuf varint must be a non-negative safe integer, got ${value}`);
    }
    this.reserve(10);
    // Division instead of bit shifts: shifts would truncate values above 2^32.
    let rest = value;
    while (rest >= 0x80) {
      this.buffer[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buffer[this.length++] = rest;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + bytes) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }
}
