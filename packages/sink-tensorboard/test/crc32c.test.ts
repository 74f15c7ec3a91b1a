import { describe, expect, it } from 'vitest';
import { crc32c, maskedCrc32c } from '../src/crc32c.js';

describe('crc32c', () => {
  it('matches the published CRC-32C check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
  });

  it('masks as TensorFlow does', () => {
    const crc = 0xe3069283;
    const expected = ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
    expect(maskedCrc32c(Buffer.from('123456789'))).toBe(expected);
  });
});
