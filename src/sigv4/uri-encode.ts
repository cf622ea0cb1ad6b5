/**
 * RFC 3986 percent-encoding the way SigV4 wants it: every byte except the unreserved characters
 * (A-Z a-z 0-9 - . _ ~) becomes %XX with upper-case hex. Everything works on UTF-8 bytes, so a
 * malformed escape or invalid UTF-8 on the wire round-trips byte for byte instead of throwing, as
 * decodeURIComponent would.
 */

const HEX_DIGITS = '0123456789ABCDEF';

function isUnreserved(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) || // A-Z
    (byte >= 0x61 && byte <= 0x7a) || // a-z
    (byte >= 0x30 && byte <= 0x39) || // 0-9
    byte === 0x2d || byte === 0x2e || byte === 0x5f || byte === 0x7e // - . _ ~
  );
}

function isHexDigit(byte: number | undefined): boolean {
  return byte !== undefined && ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66));
}

function percentEscape(byte: number): string {
  return '%' + HEX_DIGITS[byte >> 4] + HEX_DIGITS[byte & 0x0f];
}

export function uriEncodeBytes(bytes: Uint8Array): string {
  let encoded = '';
  for (const byte of bytes) encoded += isUnreserved(byte) ? String.fromCharCode(byte) : percentEscape(byte);
  return encoded;
}

const ALL_UNRESERVED = /^[A-Za-z0-9\-._~]*$/;

/** Encodes text as UTF-8, then every non-unreserved byte ('/' included). */
export function uriEncode(text: string): string {
  // Most path segments and parameter names need no escape at all: skip the UTF-8 copy for them.
  if (ALL_UNRESERVED.test(text)) return text;
  return uriEncodeBytes(Buffer.from(text, 'utf8'));
}

/**
 * Strict percent-decoding to bytes: %XX becomes that byte, a '%' not followed by two hex digits stays
 * a literal '%', and '+' stays '+' (this is RFC 3986, not HTML form encoding: AWS signers send a
 * space as %20 and a plus as %2B).
 */
export function percentDecode(text: string): Buffer {
  const input = Buffer.from(text, 'utf8');
  const output = Buffer.alloc(input.length);
  let length = 0;
  for (let index = 0; index < input.length; index++) {
    const byte = input[index]!;
    if (byte === 0x25 && isHexDigit(input[index + 1]) && isHexDigit(input[index + 2])) {
      output[length++] = parseInt(String.fromCharCode(input[index + 1]!, input[index + 2]!), 16);
      index += 2;
    } else {
      output[length++] = byte;
    }
  }
  return output.subarray(0, length);
}

/** decode-then-encode: the canonical spelling of one query name or value. */
export function reencode(text: string): string {
  return uriEncodeBytes(percentDecode(text));
}

// Characters RFC 3986 allows unencoded in a path segment besides the unreserved ones.
const PATH_SAFE_DELIMITERS = new Set("!$&'()*+,;=:@".split('').map((character) => character.charCodeAt(0)));

/**
 * One path segment as the client sent it, for S3: S3 signers sign the path they put on the wire, so
 * escapes are kept exactly (even lower-case hex) and legal characters are kept unencoded. Only what
 * cannot legally appear unencoded (a space, raw UTF-8, a stray '%') is encoded, which is how the AWS
 * suite's unnormalised cases (`GET /example space/`) expect it.
 */
export function encodePathSegmentAsSent(segment: string): string {
  const bytes = Buffer.from(segment, 'utf8');
  let encoded = '';
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index]!;
    if (byte === 0x25 && isHexDigit(bytes[index + 1]) && isHexDigit(bytes[index + 2])) {
      encoded += String.fromCharCode(byte, bytes[index + 1]!, bytes[index + 2]!);
      index += 2;
    } else if (isUnreserved(byte) || PATH_SAFE_DELIMITERS.has(byte)) {
      encoded += String.fromCharCode(byte);
    } else {
      encoded += percentEscape(byte);
    }
  }
  return encoded;
}
