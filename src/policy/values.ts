/**
 * Parsers for typed condition values, used both for policy values (at compile time, where a bad
 * value makes the policy malformed) and for request values (at evaluation, where a bad value
 * makes the comparison impossible, and so never true). Hand-written and allocation-free except
 * for IPv6, which uses bigint.
 *
 * Dates: "one of the W3C implementations of the ISO 8601 date formats or in epoch (UNIX) time"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date):
 * YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDThh:mm[:ss[.s+]] with Z, ±hh, ±hhmm or ±hh:mm (none = UTC),
 * or whole epoch seconds. The result is epoch milliseconds (fractions of a millisecond kept).
 */

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digitsAt(text: string, index: number, count: number): number {
  if (index + count > text.length) return -1;
  let value = 0;
  for (let i = index; i < index + count; i++) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** Epoch milliseconds, or NaN. */
export function parseDate(text: string): number {
  if (isDigits(text)) {
    if (text.length > 19) return NaN;
    return Number(text) * 1000;
  }
  const year = digitsAt(text, 0, 4);
  if (year < 0) return NaN;
  let month = 1;
  let day = 1;
  let i = 4;
  if (i < text.length && text[i] === '-') {
    month = digitsAt(text, i + 1, 2);
    if (month < 1 || month > 12) return NaN;
    i += 3;
    if (i < text.length && text[i] === '-') {
      day = digitsAt(text, i + 1, 2);
      i += 3;
      const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
      if (day < 1 || day > DAYS_IN_MONTH[month - 1] || (month === 2 && day === 29 && !leap)) return NaN;
    }
  }
  let hour = 0;
  let minute = 0;
  let second = 0;
  let fraction = 0;
  let offsetMinutes = 0;
  if (i < text.length) {
    if (text[i] !== 'T' && text[i] !== 't') return NaN;
    if (i !== 10) return NaN; // a time needs a full date
    hour = digitsAt(text, i + 1, 2);
    if (hour < 0 || hour > 23 || text[i + 3] !== ':') return NaN;
    minute = digitsAt(text, i + 4, 2);
    if (minute < 0 || minute > 59) return NaN;
    i += 6;
    if (text[i] === ':') {
      second = digitsAt(text, i + 1, 2);
      if (second < 0 || second > 59) return NaN;
      i += 3;
      if (text[i] === '.') {
        let scale = 100;
        let digits = 0;
        i++;
        while (i < text.length) {
          const code = text.charCodeAt(i) - 48;
          if (code < 0 || code > 9) break;
          fraction += code * scale;
          scale /= 10;
          digits++;
          i++;
        }
        if (digits === 0 || digits > 9) return NaN;
      }
    }
    if (i < text.length) {
      const sign = text[i];
      if (sign === 'Z' || sign === 'z') {
        i++;
      } else if (sign === '+' || sign === '-') {
        const hours = digitsAt(text, i + 1, 2);
        if (hours < 0 || hours > 23) return NaN;
        i += 3;
        let minutes = 0;
        if (i < text.length) {
          const at = text[i] === ':' ? i + 1 : i;
          minutes = digitsAt(text, at, 2);
          if (minutes < 0 || minutes > 59) return NaN;
          i = at + 2;
        }
        offsetMinutes = (sign === '+' ? 1 : -1) * (hours * 60 + minutes);
      } else {
        return NaN;
      }
    }
    if (i !== text.length) return NaN;
  }
  const days = daysFromCivil(year, month, day);
  return ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60_000 + second * 1000 + fraction;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

// Request dates repeat (one session's aws:TokenIssueTime, one request's aws:CurrentTime), so the
// last two parsed are remembered.
let cachedText0 = '';
let cachedValue0 = NaN;
let cachedText1 = '';
let cachedValue1 = NaN;

/** parseDate with a two-entry memory, for request values. */
export function parseRequestDate(text: string): number {
  if (text === cachedText0) return cachedValue0;
  if (text === cachedText1) return cachedValue1;
  const value = parseDate(text);
  cachedText1 = cachedText0;
  cachedValue1 = cachedValue0;
  cachedText0 = text;
  cachedValue0 = value;
  return value;
}

/** A decimal number (optional sign, digits, optional fraction), or NaN. */
export function parseNumber(text: string): number {
  let i = 0;
  if (text[0] === '+' || text[0] === '-') i++;
  let digits = 0;
  let dot = false;
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) digits++;
    else if (code === 46 && !dot) dot = true;
    else return NaN;
  }
  return digits === 0 ? NaN : Number(text);
}

/** "true"/"false" in any case: 1, 0; anything else -1. */
export function parseBoolean(text: string): 1 | 0 | -1 {
  if (text.length === 4 && text.toLowerCase() === 'true') return 1;
  if (text.length === 5 && text.toLowerCase() === 'false') return 0;
  return -1;
}

/** An inclusive address range of one family. */
export type IpRange = { v6: false; low: number; high: number } | { v6: true; low: bigint; high: bigint };

/** An IPv4 address as an unsigned 32-bit number, or -1. */
export function parseIpv4(text: string, from = 0, to = text.length): number {
  let value = 0;
  let octets = 0;
  let i = from;
  while (i <= to) {
    let octet = 0;
    let digits = 0;
    while (i < to) {
      const code = text.charCodeAt(i) - 48;
      if (code < 0 || code > 9) break;
      octet = octet * 10 + code;
      digits++;
      i++;
    }
    if (digits === 0 || digits > 3 || octet > 255) return -1;
    value = value * 256 + octet;
    octets++;
    if (i === to) break;
    if (text[i] !== '.' || octets === 4) return -1;
    i++;
  }
  return octets === 4 ? value : -1;
}

/** An IPv6 address as a 128-bit bigint (with an optional trailing dotted IPv4), or -1n. */
export function parseIpv6(text: string): bigint {
  if (text.length < 2 || text.length > 45) return -1n;
  const doubleColon = text.indexOf('::');
  if (doubleColon >= 0 && text.indexOf('::', doubleColon + 1) >= 0) return -1n;
  const head = doubleColon >= 0 ? text.slice(0, doubleColon) : text;
  const tail = doubleColon >= 0 ? text.slice(doubleColon + 2) : '';
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let index = 0; index < pieces.length; index++) {
      const piece = pieces[index];
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 < 0) return undefined;
        out.push(Math.floor(v4 / 65536), v4 % 65536);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const first = groups(head);
  const last = groups(tail);
  if (!first || !last) return -1n;
  if (head.includes('.') && doubleColon >= 0) return -1n;
  const total = first.length + last.length;
  if (doubleColon >= 0 ? total > 7 : total !== 8) return -1n;
  const all = [...first, ...new Array<number>(8 - total).fill(0), ...last];
  let value = 0n;
  for (const group of all) value = (value << 16n) | BigInt(group);
  return value;
}

/** A CIDR block (or a bare address: /32, /128) as an address range, or undefined. */
export function parseCidr(text: string): IpRange | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  if (prefixText !== undefined && !/^[0-9]{1,3}$/.test(prefixText)) return undefined;
  if (address.includes(':')) {
    const value = parseIpv6(address);
    const prefix = prefixText === undefined ? 128 : Number(prefixText);
    if (value < 0n || prefix > 128) return undefined;
    const hostBits = BigInt(128 - prefix);
    const low = (value >> hostBits) << hostBits;
    return { v6: true, low, high: low + (1n << hostBits) - 1n };
  }
  const value = parseIpv4(address);
  const prefix = prefixText === undefined ? 32 : Number(prefixText);
  if (value < 0 || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const low = Math.floor(value / size) * size;
  return { v6: false, low, high: low + size - 1 };
}

/** Whether a request's address (text) lies in the range; -1 when it is not an address. */
export function ipInRange(address: string, range: IpRange): 1 | 0 | -1 {
  if (address.includes(':')) {
    const value = parseIpv6(address);
    if (value < 0n) return -1;
    return range.v6 && value >= range.low && value <= range.high ? 1 : 0;
  }
  const value = parseIpv4(address);
  if (value < 0) return -1;
  return !range.v6 && value >= range.low && value <= range.high ? 1 : 0;
}

/** Strict base64 (with padding) decoded, or undefined. */
export function parseBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}
