/**
 * CRC-64/NVME (S3's CRC64NVME): reflected, polynomial 0xAD93D23594C93659 (0x9A6C9329AC4BC9B5
 * reflected), initial value and final XOR all ones; check value 0xAE8B14860A799888.
 *
 * JavaScript has no 64-bit integers short of BigInt, which is far too slow per byte, so the register
 * is kept as two 32-bit halves and every table as a pair (high and low words). Eight bytes per step,
 * as in crc32-tables.ts: eight bytes consume the whole 64-bit register, so one step is just the XOR
 * of eight lookups.
 */

const REFLECTED_POLYNOMIAL_HIGH = 0x9a6c9329;
const REFLECTED_POLYNOMIAL_LOW = 0xac4bc9b5;

const TABLE_HIGH = new Uint32Array(8 * 256);
const TABLE_LOW = new Uint32Array(8 * 256);

for (let byte = 0; byte < 256; byte++) {
  let high = 0;
  let low = byte;
  for (let bit = 0; bit < 8; bit++) {
    const carry = low & 1;
    low = ((low >>> 1) | (high << 31)) >>> 0;
    high >>>= 1;
    if (carry) {
      high ^= REFLECTED_POLYNOMIAL_HIGH;
      low ^= REFLECTED_POLYNOMIAL_LOW;
    }
  }
  TABLE_HIGH[byte] = high >>> 0;
  TABLE_LOW[byte] = low >>> 0;
}
for (let byte = 0; byte < 256; byte++) {
  let high = TABLE_HIGH[byte]!;
  let low = TABLE_LOW[byte]!;
  for (let slice = 1; slice < 8; slice++) {
    const entry = low & 0xff;
    low = (TABLE_LOW[entry]! ^ ((low >>> 8) | (high << 24))) >>> 0;
    high = (TABLE_HIGH[entry]! ^ (high >>> 8)) >>> 0;
    TABLE_HIGH[slice * 256 + byte] = high;
    TABLE_LOW[slice * 256 + byte] = low;
  }
}

/** The 64-bit register as two unsigned 32-bit words. */
export interface Crc64Register {
  high: number;
  low: number;
}

export function initialCrc64Register(): Crc64Register {
  return { high: 0xffffffff, low: 0xffffffff };
}

/** Advances `register` over `data`, in place. */
export function updateCrc64Register(register: Crc64Register, data: Uint8Array): void {
  let high = register.high;
  let low = register.low;
  let index = 0;
  const length = data.length;
  const fastEnd = length - (length & 7);
  while (index < fastEnd) {
    const a = low ^ (data[index]! | (data[index + 1]! << 8) | (data[index + 2]! << 16) | (data[index + 3]! << 24));
    const b = high ^ (data[index + 4]! | (data[index + 5]! << 8) | (data[index + 6]! << 16) | (data[index + 7]! << 24));
    const i7 = 0x700 + (a & 0xff), i6 = 0x600 + ((a >>> 8) & 0xff), i5 = 0x500 + ((a >>> 16) & 0xff), i4 = 0x400 + (a >>> 24);
    const i3 = 0x300 + (b & 0xff), i2 = 0x200 + ((b >>> 8) & 0xff), i1 = 0x100 + ((b >>> 16) & 0xff), i0 = b >>> 24;
    low = TABLE_LOW[i7]! ^ TABLE_LOW[i6]! ^ TABLE_LOW[i5]! ^ TABLE_LOW[i4]! ^ TABLE_LOW[i3]! ^ TABLE_LOW[i2]! ^ TABLE_LOW[i1]! ^ TABLE_LOW[i0]!;
    high = TABLE_HIGH[i7]! ^ TABLE_HIGH[i6]! ^ TABLE_HIGH[i5]! ^ TABLE_HIGH[i4]! ^ TABLE_HIGH[i3]! ^ TABLE_HIGH[i2]! ^ TABLE_HIGH[i1]! ^ TABLE_HIGH[i0]!;
    index += 8;
  }
  while (index < length) {
    const entry = (low ^ data[index++]!) & 0xff;
    low = TABLE_LOW[entry]! ^ ((low >>> 8) | (high << 24));
    high = TABLE_HIGH[entry]! ^ (high >>> 8);
  }
  register.high = high >>> 0;
  register.low = low >>> 0;
}

/** The finished CRC, big-endian, as S3 encodes it (before base64). */
export function crc64Digest(register: Crc64Register): Buffer {
  const digest = Buffer.alloc(8);
  digest.writeUInt32BE((register.high ^ 0xffffffff) >>> 0, 0);
  digest.writeUInt32BE((register.low ^ 0xffffffff) >>> 0, 4);
  return digest;
}
