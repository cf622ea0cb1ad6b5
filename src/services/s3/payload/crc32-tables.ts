/**
 * Table-driven reflected 32-bit CRCs (CRC-32 and CRC-32C differ only in their polynomial), eight
 * bytes per step ("slice-by-8"): table k holds the CRC of a byte followed by k zero bytes, so the
 * eight lookups of one step are independent of one another and the loop carries one dependency per
 * eight bytes instead of one per byte.
 *
 * The functions work on the raw register: callers start from 0xFFFFFFFF and invert at the end
 * (both S3 algorithms use that initial value and final XOR).
 */

export type Crc32Tables = Uint32Array;

/** Eight 256-entry tables, one after the other, for a reflected polynomial. */
export function buildCrc32Tables(reflectedPolynomial: number): Crc32Tables {
  const tables = new Uint32Array(8 * 256);
  for (let byte = 0; byte < 256; byte++) {
    let register = byte;
    for (let bit = 0; bit < 8; bit++) register = register & 1 ? (register >>> 1) ^ reflectedPolynomial : register >>> 1;
    tables[byte] = register >>> 0;
  }
  for (let byte = 0; byte < 256; byte++) {
    let register = tables[byte]!;
    for (let slice = 1; slice < 8; slice++) {
      register = tables[register & 0xff]! ^ (register >>> 8);
      tables[slice * 256 + byte] = register >>> 0;
    }
  }
  return tables;
}

/** The register after `data`, continued from `register` (not inverted). */
export function updateCrc32Register(tables: Crc32Tables, register: number, data: Uint8Array): number {
  let crc = register;
  let index = 0;
  const length = data.length;
  const fastEnd = length - (length & 7);
  while (index < fastEnd) {
    const low = crc ^ (data[index]! | (data[index + 1]! << 8) | (data[index + 2]! << 16) | (data[index + 3]! << 24));
    crc =
      tables[0x700 + (low & 0xff)]! ^
      tables[0x600 + ((low >>> 8) & 0xff)]! ^
      tables[0x500 + ((low >>> 16) & 0xff)]! ^
      tables[0x400 + (low >>> 24)]! ^
      tables[0x300 + data[index + 4]!]! ^
      tables[0x200 + data[index + 5]!]! ^
      tables[0x100 + data[index + 6]!]! ^
      tables[data[index + 7]!]!;
    index += 8;
  }
  while (index < length) crc = tables[(crc ^ data[index++]!) & 0xff]! ^ (crc >>> 8);
  return crc >>> 0;
}
